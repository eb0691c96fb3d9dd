//! wasmtime: engine, epoch ticker, compile (with the compiled-code cache), and calls with
//! limits. `describe` and `compute` run on a fresh `Store` per call from the plugin's
//! `InstancePre`; the short per-record calls (`validate`, `classify`) reuse a warm instance
//! while they succeed (instantiating costs more than such a call) — any failure drops it,
//! since a trap poisons an instance.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sha2::{Digest, Sha256};
use wasmtime::component::{Component, Linker};
use wasmtime::{Config, Engine, ResourceLimiter, Store, StoreLimits, StoreLimitsBuilder, Trap};

use crate::error::{FaultKind, PluginError, Result};

mod bindings {
    wasmtime::component::bindgen!({
        path: "../../plugin-sdk/wit/v1",
        world: "sector-plugin",
    });
}

pub use bindings::exports::anwei::plugin::plugin as wit;
use bindings::{SectorPlugin, SectorPluginPre};

/// Milliseconds per epoch tick.
pub const TICK_MS: u64 = 5;
/// Time budgets.
pub const VALIDATE_BUDGET: Duration = Duration::from_millis(200);
pub const DESCRIBE_BUDGET: Duration = Duration::from_secs(1);
pub const COMPUTE_BUDGET: Duration = Duration::from_secs(10);
/// Linear memory cap per plugin instance.
pub const MEMORY_LIMIT: usize = 64 << 20;
/// Largest plugin component accepted.
pub const MAX_COMPONENT_BYTES: usize = 16 << 20;

/// The shared wasmtime engine with its epoch ticker.
#[derive(Clone)]
pub struct Runtime {
    engine: Engine,
    linker: Arc<Linker<Limits>>,
    cache_dir: Option<PathBuf>,
}

/// Store data: memory limits that remember whether the cap was hit.
pub struct Limits {
    inner: StoreLimits,
    hit: bool,
}

impl ResourceLimiter for Limits {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let r = self.inner.memory_growing(current, desired, maximum);
        if !matches!(r, Ok(true)) {
            self.hit = true;
        }
        r
    }

    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let r = self.inner.table_growing(current, desired, maximum);
        if !matches!(r, Ok(true)) {
            self.hit = true;
        }
        r
    }
}

/// A compiled plugin, ready to instantiate.
#[derive(Clone)]
pub struct Compiled {
    pre: SectorPluginPre<Limits>,
    /// sha256 of the component bytes (hex).
    pub hash: String,
    /// A warm instance for the short per-record calls (validate, classify), see
    /// [`Runtime::call_warm`].
    warm: Arc<Mutex<Option<Warm>>>,
}

struct Warm {
    store: Store<Limits>,
    instance: SectorPlugin,
    uses: u32,
}

/// Calls a warm instance serves before it is replaced by a fresh one.
pub const WARM_INSTANCE_USES: u32 = 256;

fn engine_err(e: impl std::fmt::Display) -> PluginError {
    PluginError::Engine(e.to_string())
}

/// sha256 hex of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Runtime {
    /// A runtime; `cache_dir` holds compiled code (`None`: no cache).
    pub fn new(cache_dir: Option<PathBuf>) -> Result<Runtime> {
        let mut config = Config::new();
        config.epoch_interruption(true);
        config.max_wasm_stack(512 << 10);
        config.parallel_compilation(true);
        let engine = Engine::new(&config).map_err(engine_err)?;
        let weak = engine.weak();
        std::thread::Builder::new()
            .name("anwei-plugin-epoch".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(Duration::from_millis(TICK_MS));
                    match weak.upgrade() {
                        Some(e) => e.increment_epoch(),
                        None => break,
                    }
                }
            })
            .map_err(engine_err)?;
        // Zero imports: the linker is empty, so a component that imports anything fails to
        // instantiate (and is refused at install).
        let linker = Linker::new(&engine);
        Ok(Runtime {
            engine,
            linker: Arc::new(linker),
            cache_dir,
        })
    }

    /// Hash of everything that makes compiled code incompatible: wasmtime version, engine
    /// settings, host CPU.
    fn engine_key(&self) -> String {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.engine.precompile_compatibility_hash().hash(&mut h);
        "wasmtime-48.0.8".hash(&mut h);
        format!("{:016x}", h.finish())
    }

    fn cache_paths(&self, hash: &str) -> Option<(PathBuf, PathBuf)> {
        let dir = self.cache_dir.as_ref()?;
        let base = format!("{hash}-{}", self.engine_key());
        Some((
            dir.join(format!("{base}.cwasm")),
            dir.join(format!("{base}.sha256")),
        ))
    }

    /// Compiles `bytes` (or loads the cached compiled code) and prepares instantiation.
    /// Fails when the bytes are not a component of the `sector-plugin` world with zero
    /// imports.
    pub fn compile(&self, bytes: &[u8]) -> Result<Compiled> {
        if bytes.len() > MAX_COMPONENT_BYTES {
            return Err(PluginError::Engine(format!(
                "插件文件 {} 字节，超过上限 {} 字节",
                bytes.len(),
                MAX_COMPONENT_BYTES
            )));
        }
        let hash = sha256_hex(bytes);
        let component = match self.load_cached(&hash) {
            Some(c) => c,
            None => self.compile_and_cache(bytes, &hash)?,
        };
        let ty = component.component_type();
        if ty.imports(&self.engine).next().is_some() {
            let names: Vec<String> = ty
                .imports(&self.engine)
                .map(|(n, _)| n.to_owned())
                .collect();
            return Err(PluginError::Engine(format!(
                "插件不得导入任何接口，但导入了：{}",
                names.join("、")
            )));
        }
        let instance_pre = self
            .linker
            .instantiate_pre(&component)
            .map_err(engine_err)?;
        let pre = SectorPluginPre::new(instance_pre)
            .map_err(|e| PluginError::Engine(format!("插件不符合 anwei:plugin@1 接口：{e:#}")))?;
        Ok(Compiled {
            pre,
            hash,
            warm: Arc::new(Mutex::new(None)),
        })
    }

    fn compile_and_cache(&self, bytes: &[u8], hash: &str) -> Result<Component> {
        let Some((path, sum_path)) = self.cache_paths(hash) else {
            return Component::new(&self.engine, bytes)
                .map_err(|e| PluginError::Engine(format!("不是有效的插件组件：{e:#}")));
        };
        let compiled = self
            .engine
            .precompile_component(bytes)
            .map_err(|e| PluginError::Engine(format!("不是有效的插件组件：{e:#}")))?;
        // Write the checksum last: an entry without a matching checksum is ignored.
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
            let ok = crate::fsutil::write_atomic(&path, &compiled).is_ok()
                && crate::fsutil::write_atomic(&sum_path, sha256_hex(&compiled).as_bytes()).is_ok();
            if !ok {
                tracing::warn!("无法写入插件编译缓存 {}", path.display());
            }
        }
        self.deserialize_checked(&compiled)
            .ok_or_else(|| PluginError::Engine("编译结果无法加载".into()))
    }

    fn load_cached(&self, hash: &str) -> Option<Component> {
        let (path, sum_path) = self.cache_paths(hash)?;
        let bytes = std::fs::read(&path).ok()?;
        let sum = std::fs::read_to_string(&sum_path).ok()?;
        if sum.trim() != sha256_hex(&bytes) {
            tracing::warn!("忽略损坏的插件编译缓存 {}", path.display());
            return None;
        }
        self.deserialize_checked(&bytes)
    }

    /// Loads precompiled code that this process (or an earlier one with the same engine)
    /// produced. Callers check the bytes' sha256 against the checksum written with them, so
    /// only code wasmtime itself wrote is loaded; wasmtime also checks the engine
    /// compatibility header and refuses code from another version or configuration.
    #[allow(unsafe_code)]
    fn deserialize_checked(&self, bytes: &[u8]) -> Option<Component> {
        // SAFETY: `bytes` is the output of `Engine::precompile_component` of a compatible
        // engine, verified by checksum (see above); wasmtime validates the header.
        unsafe { Component::deserialize(&self.engine, bytes) }.ok()
    }

    fn new_store(&self) -> Store<Limits> {
        let limits = Limits {
            inner: StoreLimitsBuilder::new()
                .memory_size(MEMORY_LIMIT)
                .trap_on_grow_failure(true)
                .instances(16)
                .memories(4)
                .tables(16)
                .build(),
            hit: false,
        };
        let mut store = Store::new(&self.engine, limits);
        store.limiter(|l| l);
        store.epoch_deadline_trap();
        store
    }

    fn fault(
        plugin: &str,
        store: &Store<Limits>,
        budget: Duration,
        e: &wasmtime::Error,
    ) -> PluginError {
        let memory_hit = store.data().hit;
        let trap = e.downcast_ref::<Trap>().copied();
        let (kind, message) = match trap {
            _ if memory_hit => (
                FaultKind::Memory,
                format!("内存超过上限 {} MiB，已中止", MEMORY_LIMIT >> 20),
            ),
            Some(Trap::Interrupt) => (
                FaultKind::Timeout,
                format!("超过时间上限 {} 毫秒，已中止", budget.as_millis()),
            ),
            Some(Trap::StackOverflow) => (FaultKind::Stack, "调用栈耗尽".to_owned()),
            Some(Trap::UnreachableCodeReached) => (
                FaultKind::Trap,
                "插件崩溃（panic 或执行到不可达代码）".to_owned(),
            ),
            Some(t) => (FaultKind::Trap, format!("插件陷入错误：{t}")),
            None => (FaultKind::Trap, format!("{e:#}")),
        };
        PluginError::Fault {
            plugin: plugin.to_owned(),
            kind,
            message,
        }
    }

    fn ticks(budget: Duration) -> u64 {
        (budget.as_millis() as u64).div_ceil(TICK_MS).max(1)
    }

    /// Runs `f` on a fresh instance (new `Store` from the `InstancePre`) with `budget`;
    /// classifies any failure as a fault.
    pub fn call<T>(
        &self,
        plugin: &str,
        compiled: &Compiled,
        budget: Duration,
        f: impl FnOnce(&SectorPlugin, &mut Store<Limits>) -> wasmtime::Result<T>,
    ) -> Result<T> {
        let mut store = self.new_store();
        store.set_epoch_deadline(Self::ticks(budget));
        let instance = compiled
            .pre
            .instantiate(&mut store)
            .map_err(|e| PluginError::Fault {
                plugin: plugin.to_owned(),
                kind: FaultKind::Instantiate,
                message: format!("{e:#}"),
            })?;
        f(&instance, &mut store).map_err(|e| Self::fault(plugin, &store, budget, &e))
    }

    /// Like [`Runtime::call`], but reuses a warm instance while calls succeed: instantiating
    /// costs more than a short call. Any failure drops the instance (a trap poisons it);
    /// it is also replaced after [`WARM_INSTANCE_USES`] calls so growth from one call cannot
    /// pile up. When another thread holds the warm instance, a fresh one is used.
    pub fn call_warm<T>(
        &self,
        plugin: &str,
        compiled: &Compiled,
        budget: Duration,
        f: impl FnOnce(&SectorPlugin, &mut Store<Limits>) -> wasmtime::Result<T>,
    ) -> Result<T> {
        let Ok(mut slot) = compiled.warm.try_lock() else {
            return self.call(plugin, compiled, budget, f);
        };
        let mut warm = match slot.take() {
            Some(w) => w,
            None => {
                let mut store = self.new_store();
                store.set_epoch_deadline(Self::ticks(DESCRIBE_BUDGET));
                let instance =
                    compiled
                        .pre
                        .instantiate(&mut store)
                        .map_err(|e| PluginError::Fault {
                            plugin: plugin.to_owned(),
                            kind: FaultKind::Instantiate,
                            message: format!("{e:#}"),
                        })?;
                Warm {
                    store,
                    instance,
                    uses: 0,
                }
            }
        };
        warm.store.data_mut().hit = false;
        warm.store.set_epoch_deadline(Self::ticks(budget));
        match f(&warm.instance, &mut warm.store) {
            Ok(v) => {
                warm.uses += 1;
                if warm.uses < WARM_INSTANCE_USES {
                    *slot = Some(warm);
                }
                Ok(v)
            }
            Err(e) => Err(Self::fault(plugin, &warm.store, budget, &e)),
        }
    }

    pub fn describe(&self, plugin: &str, c: &Compiled) -> Result<wit::Description> {
        self.call(plugin, c, DESCRIBE_BUDGET, |p, s| {
            p.anwei_plugin_plugin().call_describe(s)
        })
    }

    pub fn validate(
        &self,
        plugin: &str,
        c: &Compiled,
        form: &str,
        record: &wit::FormRecord,
        today: &str,
    ) -> Result<Vec<wit::Issue>> {
        self.call_warm(plugin, c, VALIDATE_BUDGET, |p, s| {
            p.anwei_plugin_plugin()
                .call_validate(s, form, record, today)
        })
    }

    pub fn compute(
        &self,
        plugin: &str,
        c: &Compiled,
        form: &str,
        records: &[wit::FormRecord],
        as_of: &str,
    ) -> Result<Vec<wit::TargetValue>> {
        self.call(plugin, c, COMPUTE_BUDGET, |p, s| {
            p.anwei_plugin_plugin()
                .call_compute(s, form, records, as_of)
        })
    }

    pub fn classify(
        &self,
        plugin: &str,
        c: &Compiled,
        form: &str,
        record: &wit::FormRecord,
        today: &str,
    ) -> Result<Vec<wit::Classification>> {
        self.call_warm(plugin, c, VALIDATE_BUDGET, |p, s| {
            p.anwei_plugin_plugin()
                .call_classify(s, form, record, today)
        })
    }

    /// Cache directory in use.
    pub fn cache_dir(&self) -> Option<&Path> {
        self.cache_dir.as_deref()
    }
}
