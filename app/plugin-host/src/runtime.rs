//! wasmtime: engine, epoch ticker, compile (with the compiled-code cache), and calls with
//! limits.
//!
//! Every call runs on a fresh `Store` and instance from the plugin's `InstancePre`: a trap
//! poisons an instance, and a fresh one also guarantees no state survives between calls. The
//! pooling allocator makes that cheap: memory slots are reserved once, reused with
//! copy-on-write images and (Linux ≥ 6.7, `PAGEMAP_SCAN`) reset in place, so a fresh
//! instance costs a few µs (see `benches/plugins.rs`).
//!
//! Budgets count the plugin's own work: the CPU time of the thread running it
//! ([`cpu_time_exceeded`], checked at every epoch tick), so a legal plugin is not stopped
//! because other programs keep the machine busy. Wall-clock time is only a last resort
//! ([`WALL_FACTOR`] × the budget).
//!
//! Compiled code is cached on disk only with an authentication tag: HMAC-SHA256 under a
//! per-user key kept outside the data folder ([`CodeCache`]), over the engine's
//! compatibility key, the component's sha256 and the compiled bytes. Code in the cache that
//! does not carry a valid tag is never loaded (wasmtime's `Component::deserialize` trusts its
//! input: a file someone else could write there would be native code).
//!
//! What is called, and how records and results are converted, is the business of the API
//! version's adapter (`crate::wit`); this module speaks core types only. `compute` gets no
//! list of records: the adapter encodes only the fields the form's targets name in `inputs`,
//! which keeps 100 000 records within the plugin's 64 MiB.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use anwei_core::form::FieldIssue;
use anwei_core::{Classification, FormRecord, TargetValue};
use cpu_time::ThreadTime;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use wasmtime::component::{Component, Linker};
use wasmtime::{
    Config, Enabled, Engine, InstanceAllocationStrategy, PoolConcurrencyLimitError,
    PoolingAllocationConfig, ResourceLimiter, Store, StoreLimits, StoreLimitsBuilder, Trap,
    UpdateDeadline,
};

use crate::description::Description;
use crate::error::{FaultKind, PluginError, Result};
use crate::wit::{Batch, Feed, Pre};

/// Milliseconds per epoch tick.
pub const TICK_MS: u64 = 5;
/// CPU-time budgets (the plugin thread's own CPU time).
pub const VALIDATE_BUDGET: Duration = Duration::from_millis(200);
pub const DESCRIBE_BUDGET: Duration = Duration::from_secs(1);
pub const COMPUTE_BUDGET: Duration = Duration::from_secs(10);
/// A call is also stopped when its wall-clock time reaches this many times its CPU budget
/// (a machine so busy that the plugin hardly runs at all: validate 4 s, compute 200 s). A
/// plugin thread measured sharing two cores with a dozen busy threads got 1/12 of a core.
pub const WALL_FACTOR: u32 = 20;
/// Largest compiled-code file read from the cache.
const MAX_CACHED_BYTES: u64 = 256 << 20;
/// Linear memory cap per plugin instance.
pub const MEMORY_LIMIT: usize = 64 << 20;
/// Largest plugin component accepted.
pub const MAX_COMPONENT_BYTES: usize = 16 << 20;
/// Plugin instances alive at once, over all plugins (each call has its own): ~12 plugins,
/// each with a validate on the UI thread and a compute in the background, with room. Each
/// has a memory slot of [`MEMORY_LIMIT`]: 2 GiB of address space reserved, committed only
/// as touched.
pub const POOL_INSTANCES: u32 = 32;
/// Memory a slot keeps resident between calls (reset in place instead of released), when
/// the kernel can tell which pages were touched.
pub const KEEP_RESIDENT: usize = 1 << 20;

/// Where compiled code may be cached: a folder, and the file holding the key that
/// authenticates it. The key file must be somewhere only the desk's user can write (the
/// per-user configuration folder), never in the data folder: whoever can write the key can
/// make the desk run native code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeCache {
    pub dir: PathBuf,
    pub key_file: PathBuf,
}

/// What one [`Runtime::compute_measured`] cost.
#[derive(Debug, Clone)]
pub struct ComputeMeasure {
    pub values: Vec<TargetValue>,
    /// Encoding the records (only the input fields).
    pub batch: Duration,
    /// Instantiating and running the plugin.
    pub call: Duration,
    /// The plugin's peak linear memory, bytes.
    pub peak_memory: usize,
}

/// The shared wasmtime engine with its epoch ticker.
#[derive(Clone)]
pub struct Runtime {
    engine: Engine,
    linker: Arc<Linker<Limits>>,
    cache: Option<Arc<ActiveCache>>,
}

struct ActiveCache {
    dir: PathBuf,
    key: [u8; 32],
}

/// Store data: memory limits that remember whether the cap was hit, and the call's budget.
pub struct Limits {
    inner: StoreLimits,
    hit: bool,
    peak: usize,
    budget: Budget,
}

/// A call's time budget: CPU time of the thread that runs the plugin, wall-clock as a last
/// resort.
struct Budget {
    cpu: Duration,
    wall: Duration,
    /// The thread's CPU time when the call started (`ThreadTime` itself is not `Send`).
    started_cpu: Option<Duration>,
    started_wall: Instant,
    exceeded: Option<Exceeded>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exceeded {
    Cpu,
    Wall,
}

impl Budget {
    fn new(cpu: Duration) -> Budget {
        Budget {
            cpu,
            wall: cpu.saturating_mul(WALL_FACTOR),
            started_cpu: thread_cpu_time(),
            started_wall: Instant::now(),
            exceeded: None,
        }
    }

    /// CPU time used so far (wall-clock time where the platform cannot tell).
    fn cpu_used(&self) -> Duration {
        match (self.started_cpu, thread_cpu_time()) {
            (Some(start), Some(now)) => now.saturating_sub(start),
            _ => self.started_wall.elapsed(),
        }
    }

    /// Called at every epoch deadline: stop, or ticks until the next look.
    fn check(&mut self) -> UpdateDeadline {
        if self.started_wall.elapsed() >= self.wall {
            self.exceeded = Some(Exceeded::Wall);
            return UpdateDeadline::Interrupt;
        }
        match cpu_time_exceeded(self.cpu_used(), self.cpu) {
            None => {
                self.exceeded = Some(Exceeded::Cpu);
                UpdateDeadline::Interrupt
            }
            Some(left) => UpdateDeadline::Continue(Runtime::ticks(left)),
        }
    }
}

/// CPU time of the current thread (`None` where the platform cannot tell).
fn thread_cpu_time() -> Option<Duration> {
    ThreadTime::try_now().ok().map(|t| t.as_duration())
}

/// The budget left (`None`: spent).
pub fn cpu_time_exceeded(used: Duration, budget: Duration) -> Option<Duration> {
    budget.checked_sub(used).filter(|left| !left.is_zero())
}

impl Limits {
    /// The largest linear memory size granted in this store, bytes.
    pub fn peak_memory(&self) -> usize {
        self.peak
    }
}

impl ResourceLimiter for Limits {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let r = self.inner.memory_growing(current, desired, maximum);
        match r {
            Ok(true) => self.peak = self.peak.max(desired),
            _ => self.hit = true,
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
    /// The component as the API version it exports.
    pre: Pre,
    /// sha256 of the component bytes (hex).
    pub hash: String,
    /// Per form, the fields its targets name in `inputs` (what `compute` receives), learned
    /// from the plugin's description.
    inputs: Arc<OnceLock<FormInputs>>,
}

/// Form id → input fields, in the order the targets first name them.
pub type FormInputs = HashMap<String, Vec<String>>;

/// The input fields of each form of `d`: the `inputs` of its targets, in order, each once.
pub fn form_inputs(d: &Description) -> FormInputs {
    let mut out: FormInputs = HashMap::new();
    for t in &d.targets {
        let Some(form) = &t.form else { continue };
        let fields = out.entry(form.clone()).or_default();
        for i in &t.inputs {
            if !fields.contains(i) {
                fields.push(i.clone());
            }
        }
    }
    out
}

fn engine_err(e: impl std::fmt::Display) -> PluginError {
    PluginError::Engine(e.to_string())
}

/// sha256 hex of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Runtime {
    /// A runtime; `cache` says where compiled code may be kept (`None`: compiled in memory
    /// each time). A cache whose key cannot be read or created is not used (logged).
    pub fn new(cache: Option<CodeCache>) -> Result<Runtime> {
        let mut config = Config::new();
        config.epoch_interruption(true);
        config.max_wasm_stack(512 << 10);
        config.parallel_compilation(true);
        config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool_config()));
        // A memory slot is exactly the memory limit, without guard pages.
        config.memory_reservation(MEMORY_LIMIT as u64);
        config.memory_guard_size(0);
        // Explicit bounds checks instead of traps raised by signals. With a 64 MiB
        // reservation the code checks bounds anyway (eliding them needs 4 GiB per memory);
        // what signals would add is re-protecting a slot's pages on every reuse, two
        // `mprotect` calls per call (≈ 4 µs each with TLB shootdowns). Turning them off also
        // turns off Cranelift's Spectre masking of heap and table accesses: a plugin has no
        // clock, thread or import to time a side channel with.
        config.signals_based_traps(false);
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
        let cache = cache.and_then(|c| match crate::cache_key::load_or_create(&c.key_file) {
            Ok(key) => Some(Arc::new(ActiveCache { dir: c.dir, key })),
            Err(e) => {
                tracing::warn!("不使用插件编译缓存：{e}");
                None
            }
        });
        Ok(Runtime {
            engine,
            linker: Arc::new(linker),
            cache,
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

    fn cache_paths(&self, hash: &str) -> Option<(&ActiveCache, PathBuf, PathBuf)> {
        let cache = self.cache.as_deref()?;
        let base = format!("{hash}-{}", self.engine_key());
        Some((
            cache,
            cache.dir.join(format!("{base}.cwasm")),
            cache.dir.join(format!("{base}.tag")),
        ))
    }

    /// The authentication tag of compiled code: HMAC-SHA256 under the cache key over the
    /// engine key, the component's sha256 and the code, so an entry cannot be moved to
    /// another component or engine either.
    fn tag(&self, cache: &ActiveCache, hash: &str, code: &[u8]) -> Option<Hmac<Sha256>> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&cache.key).ok()?;
        mac.update(b"anwei-code-cache-v1\0");
        mac.update(self.engine_key().as_bytes());
        mac.update(b"\0");
        mac.update(hash.as_bytes());
        mac.update(b"\0");
        mac.update(code);
        Some(mac)
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
        let pre = Pre::new(instance_pre)?;
        Ok(Compiled {
            pre,
            hash,
            inputs: Arc::new(OnceLock::new()),
        })
    }

    fn compile_and_cache(&self, bytes: &[u8], hash: &str) -> Result<Component> {
        let invalid =
            |e: wasmtime::Error| PluginError::Engine(format!("不是有效的插件组件：{e:#}"));
        let Some((cache, path, tag_path)) = self.cache_paths(hash) else {
            return Component::new(&self.engine, bytes).map_err(invalid);
        };
        let compiled = self.engine.precompile_component(bytes).map_err(invalid)?;
        // Write the tag last: an entry without a valid tag is never loaded.
        let tag = self
            .tag(cache, hash, &compiled)
            .map(|m| m.finalize().into_bytes());
        let ok = tag.is_some_and(|tag| {
            let write = |path: &Path, bytes: &[u8]| {
                anwei_files::AtomicWrite::new(path)
                    .create_folder()
                    .write(bytes)
                    .is_ok()
            };
            write(&path, &compiled) && write(&tag_path, hex::encode(tag).as_bytes())
        });
        if !ok {
            tracing::warn!("无法写入插件编译缓存 {}", path.display());
        }
        // Code this process has just compiled: no file in between.
        self.deserialize_trusted(&compiled)
            .ok_or_else(|| PluginError::Engine("编译结果无法加载".into()))
    }

    /// Compiled code from the cache, only when its tag verifies under the cache key. An
    /// entry that does not verify is removed (and the component compiled again).
    fn load_cached(&self, hash: &str) -> Option<Component> {
        let (cache, path, tag_path) = self.cache_paths(hash)?;
        // Only regular files, bounded: a link to /dev/zero or a FIFO put there is refused.
        let code = match crate::fsutil::read_regular(&path, MAX_CACHED_BYTES) {
            Ok(None) => return None,
            Ok(Some(code)) => Some(code),
            Err(_) => None,
        };
        let verified = code.and_then(|code| {
            let tag = crate::fsutil::read_regular(&tag_path, 1024).ok()??;
            let tag = hex::decode(String::from_utf8(tag).ok()?.trim()).ok()?;
            self.tag(cache, hash, &code)?
                .verify_slice(&tag)
                .is_ok()
                .then_some(code)
        });
        match verified {
            Some(code) => self.deserialize_trusted(&code),
            None => {
                tracing::warn!(
                    "插件编译缓存 {} 未通过校验（不是本机本用户编译的代码），已删除并重新编译",
                    path.display()
                );
                let _ = std::fs::remove_file(&path);
                let _ = std::fs::remove_file(&tag_path);
                None
            }
        }
    }

    /// Loads compiled code that this process compiled, or whose authentication tag verified
    /// under the per-user cache key (see [`Runtime::load_cached`]); wasmtime also checks the
    /// engine compatibility header and refuses code from another version or configuration.
    #[allow(unsafe_code)]
    fn deserialize_trusted(&self, bytes: &[u8]) -> Option<Component> {
        // SAFETY: `bytes` is the output of `Engine::precompile_component` of this engine:
        // either just produced, or authenticated by an HMAC under a key that only this user
        // can read (kept outside the data folder). wasmtime validates the header.
        unsafe { Component::deserialize(&self.engine, bytes) }.ok()
    }

    fn new_store(&self, budget: Duration) -> Store<Limits> {
        let limits = Limits {
            inner: StoreLimitsBuilder::new()
                .memory_size(MEMORY_LIMIT)
                .trap_on_grow_failure(true)
                .instances(16)
                .memories(4)
                .tables(16)
                .build(),
            hit: false,
            peak: 0,
            budget: Budget::new(budget),
        };
        let mut store = Store::new(&self.engine, limits);
        store.limiter(|l| l);
        store.set_epoch_deadline(Self::ticks(budget));
        store.epoch_deadline_callback(|mut ctx| Ok(ctx.data_mut().budget.check()));
        store
    }

    fn fault(
        plugin: &str,
        store: &Store<Limits>,
        budget: Duration,
        e: &wasmtime::Error,
    ) -> PluginError {
        let memory_hit = store.data().hit;
        let exceeded = store.data().budget.exceeded;
        let trap = e.downcast_ref::<Trap>().copied();
        let (kind, message) = match trap {
            _ if memory_hit => (
                FaultKind::Memory,
                format!("内存超过上限 {} MiB，已中止", MEMORY_LIMIT >> 20),
            ),
            Some(Trap::Interrupt) if exceeded == Some(Exceeded::Wall) => (
                FaultKind::Overloaded,
                format!(
                    "运行 {} 毫秒仍未结束（其中计算 {} 毫秒），已中止",
                    store.data().budget.started_wall.elapsed().as_millis(),
                    store.data().budget.cpu_used().as_millis()
                ),
            ),
            Some(Trap::Interrupt) => (
                FaultKind::Timeout,
                format!("计算时间超过上限 {} 毫秒，已中止", budget.as_millis()),
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

    /// Runs `f` on a fresh instance (new `Store`, instance from `instantiate`) with
    /// `budget`; classifies any failure as a fault. The store and instance are dropped
    /// afterwards, whatever happened: nothing is reused after a trap. The adapters of
    /// `crate::wit` call plugins through this.
    pub(crate) fn run<I, T>(
        &self,
        plugin: &str,
        budget: Duration,
        instantiate: impl FnOnce(&mut Store<Limits>) -> wasmtime::Result<I>,
        f: impl FnOnce(&I, &mut Store<Limits>) -> wasmtime::Result<T>,
    ) -> Result<T> {
        let mut store = self.new_store(budget);
        let instance = instantiate(&mut store).map_err(|e| instantiate_error(plugin, &e))?;
        f(&instance, &mut store).map_err(|e| Self::fault(plugin, &store, budget, &e))
    }

    /// Runs `f` with a fresh instance of `compiled` in the store, with `budget` (the
    /// instance's pool slot is held until `f` returns).
    pub fn call<T>(
        &self,
        plugin: &str,
        compiled: &Compiled,
        budget: Duration,
        f: impl FnOnce(&mut Store<Limits>) -> wasmtime::Result<T>,
    ) -> Result<T> {
        self.run(plugin, budget, |s| compiled.pre.instantiate(s), |_, s| f(s))
    }

    /// The plugin's description. Also records the forms' compute inputs in `c`.
    pub fn describe(&self, plugin: &str, c: &Compiled) -> Result<Description> {
        let d = c.pre.describe(self, plugin)?;
        c.inputs.get_or_init(|| form_inputs(&d));
        Ok(d)
    }

    /// Per form, the fields `compute` receives (describes the plugin if not done yet).
    pub fn inputs<'c>(&self, plugin: &str, c: &'c Compiled) -> Result<&'c FormInputs> {
        if let Some(i) = c.inputs.get() {
            return Ok(i);
        }
        self.describe(plugin, c)?;
        c.inputs
            .get()
            .ok_or_else(|| PluginError::Engine("插件描述未记录".into()))
    }

    /// The plugin's issues with one record (unchecked; [`crate::PluginHost::validate`]
    /// checks them).
    pub fn validate(
        &self,
        plugin: &str,
        c: &Compiled,
        form: &str,
        record: &FormRecord,
        today: &str,
    ) -> Result<Vec<FieldIssue>> {
        c.pre.validate(self, plugin, form, record, today)
    }

    /// Target values from `records`: the plugin receives only the fields its targets of
    /// `form` name in `inputs`, column by column.
    pub fn compute<R: Borrow<FormRecord>>(
        &self,
        plugin: &str,
        c: &Compiled,
        form: &str,
        records: &[R],
        as_of: &str,
    ) -> Result<Vec<TargetValue>> {
        self.compute_measured(plugin, c, form, records, as_of)
            .map(|m| m.values)
    }

    /// [`Runtime::compute`] with what it cost (tests and benchmarks).
    pub fn compute_measured<R: Borrow<FormRecord>>(
        &self,
        plugin: &str,
        c: &Compiled,
        form: &str,
        records: &[R],
        as_of: &str,
    ) -> Result<ComputeMeasure> {
        let t = Instant::now();
        let batch = self.batch(plugin, c, form, records)?;
        let batch_time = t.elapsed();
        let t = Instant::now();
        let (values, peak_memory) = self.compute_batch(plugin, c, form, &batch, as_of)?;
        Ok(ComputeMeasure {
            values,
            batch: batch_time,
            call: t.elapsed(),
            peak_memory,
        })
    }

    /// `records` as the plugin's `compute` receives them (only its targets' input fields).
    pub(crate) fn batch<R: Borrow<FormRecord>>(
        &self,
        plugin: &str,
        c: &Compiled,
        form: &str,
        records: &[R],
    ) -> Result<Batch> {
        let fields = self
            .inputs(plugin, c)?
            .get(form)
            .map(Vec::as_slice)
            .unwrap_or_default();
        c.pre.batch(records, fields)
    }

    /// An empty batch of `form`'s input fields, filled one record at a time.
    pub(crate) fn feed(&self, plugin: &str, c: &Compiled, form: &str) -> Result<Feed> {
        let fields = self
            .inputs(plugin, c)?
            .get(form)
            .map(Vec::as_slice)
            .unwrap_or_default();
        Ok(c.pre.feed(fields))
    }

    /// Target values from a batch made by [`Runtime::batch`], with the plugin's peak
    /// linear memory (bytes).
    pub(crate) fn compute_batch(
        &self,
        plugin: &str,
        c: &Compiled,
        form: &str,
        batch: &Batch,
        as_of: &str,
    ) -> Result<(Vec<TargetValue>, usize)> {
        c.pre.compute(self, plugin, form, batch, as_of)
    }

    /// Whether the plugin computes registers batch by batch (it exports API 1.1's
    /// `summarize` and `combine`).
    pub(crate) fn summarizes(&self, c: &Compiled) -> bool {
        c.pre.summarizes()
    }

    /// The plugin's summary of one batch of a form's records (unchecked), with its peak
    /// linear memory (bytes).
    pub(crate) fn summarize(
        &self,
        plugin: &str,
        c: &Compiled,
        form: &str,
        batch: Batch,
        as_of: &str,
    ) -> Result<(Option<Vec<u8>>, usize)> {
        c.pre.summarize(self, plugin, form, batch, as_of)
    }

    /// Target values from the summaries of every batch (unchecked).
    pub(crate) fn combine(
        &self,
        plugin: &str,
        c: &Compiled,
        form: &str,
        summaries: &[Vec<u8>],
        as_of: &str,
    ) -> Result<Vec<TargetValue>> {
        c.pre.combine(self, plugin, form, summaries, as_of)
    }

    /// The plugin's classifications of one record (unchecked).
    pub fn classify(
        &self,
        plugin: &str,
        c: &Compiled,
        form: &str,
        record: &FormRecord,
        today: &str,
    ) -> Result<Vec<Classification>> {
        c.pre.classify(self, plugin, form, record, today)
    }

    /// For measurements only (the benchmark's comparison): `calls` validate calls on one
    /// instance, each timed. The host itself never reuses an instance.
    pub fn validate_warm(
        &self,
        plugin: &str,
        c: &Compiled,
        form: &str,
        record: &FormRecord,
        today: &str,
        calls: usize,
    ) -> Result<Vec<Duration>> {
        c.pre
            .validate_warm(self, plugin, form, record, today, calls)
    }

    /// Cache directory in use (`None`: no disk cache).
    pub fn cache_dir(&self) -> Option<&Path> {
        self.cache.as_deref().map(|c| c.dir.as_path())
    }
}

/// The pool of instance slots, sized by [`POOL_INSTANCES`] and [`MEMORY_LIMIT`]; per
/// component the same caps as the store limits.
fn pool_config() -> PoolingAllocationConfig {
    // Without PAGEMAP_SCAN, keeping memory resident means `memset`ting all of it on every
    // reuse, which costs more than the page faults it saves.
    let keep = if PoolingAllocationConfig::is_pagemap_scan_available() {
        KEEP_RESIDENT
    } else {
        0
    };
    let mut pool = PoolingAllocationConfig::new();
    pool.total_component_instances(POOL_INSTANCES)
        .total_core_instances(POOL_INSTANCES * 4)
        .total_memories(POOL_INSTANCES)
        .total_tables(POOL_INSTANCES * 4)
        .max_memory_size(MEMORY_LIMIT)
        .max_core_instances_per_component(16)
        .max_memories_per_component(4)
        .max_tables_per_component(16)
        .pagemap_scan(Enabled::Auto)
        .linear_memory_keep_resident(keep)
        .table_keep_resident(keep.min(64 << 10));
    pool
}

fn instantiate_error(plugin: &str, e: &wasmtime::Error) -> PluginError {
    if e.downcast_ref::<PoolConcurrencyLimitError>().is_some() {
        // Not the plugin's fault: too many calls at once.
        return PluginError::Engine(format!(
            "同时运行的插件调用超过 {POOL_INSTANCES} 个，请稍后重试"
        ));
    }
    PluginError::Fault {
        plugin: plugin.to_owned(),
        kind: FaultKind::Instantiate,
        message: format!("{e:#}"),
    }
}
