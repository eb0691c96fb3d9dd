//! Plugin packages (`.anwpkg`: a tar holding `manifest.json`, `component.wasm` and, when
//! signed, `signature`), ed25519 keys and the office's trust list.
//!
//! Trust chain: the office's root key signs a trust list naming each department's key and
//! the sector(s) it may publish; a department signs its package's manifest, and the manifest
//! carries the component's sha256.

use std::io::Read;

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::error::{Check, PluginError, Result};
use crate::runtime::sha256_hex;

/// File extension of packages.
pub const PACKAGE_EXT: &str = "anwpkg";
/// Largest package accepted.
pub const MAX_PACKAGE_BYTES: u64 = 20 << 20;

/// An ed25519 key pair (a department's or the office's root key).
pub struct KeyPair {
    signing: SigningKey,
}

impl KeyPair {
    /// A new random key pair.
    pub fn generate() -> KeyPair {
        KeyPair {
            signing: SigningKey::generate(&mut rand_core::OsRng),
        }
    }
    /// From the secret key's hex (64 hex digits).
    pub fn from_secret_hex(hex_text: &str) -> Result<KeyPair> {
        let bytes = hex::decode(hex_text.trim())
            .map_err(|_| PluginError::Key("私钥不是十六进制文本".into()))?;
        let arr: [u8; 32] = bytes
            .try_into()
            .map_err(|_| PluginError::Key("私钥长度应为32字节".into()))?;
        Ok(KeyPair {
            signing: SigningKey::from_bytes(&arr),
        })
    }
    pub fn secret_hex(&self) -> String {
        hex::encode(self.signing.to_bytes())
    }
    pub fn public_hex(&self) -> String {
        hex::encode(self.signing.verifying_key().to_bytes())
    }
    pub fn verifying_key(&self) -> VerifyingKey {
        self.signing.verifying_key()
    }
    /// Writes `<stem>.secret` (hex, owner-only on Unix) and `<stem>.pub` (hex).
    pub fn save(&self, stem: &std::path::Path) -> Result<(std::path::PathBuf, std::path::PathBuf)> {
        let secret = stem.with_extension("secret");
        let public = stem.with_extension("pub");
        if secret.exists() {
            return Err(PluginError::Key(format!(
                "{} 已存在，不覆盖",
                secret.display()
            )));
        }
        anwei_files::AtomicWrite::new(&secret)
            .create_folder()
            .write(self.secret_hex().as_bytes())?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| PluginError::io(&secret, e))?;
        }
        anwei_files::AtomicWrite::new(&public)
            .create_folder()
            .write(format!("{}\n", self.public_hex()).as_bytes())?;
        Ok((secret, public))
    }

    /// Reads a `.secret` file written by [`KeyPair::save`].
    pub fn load(secret_path: &std::path::Path) -> Result<KeyPair> {
        let text =
            std::fs::read_to_string(secret_path).map_err(|e| PluginError::io(secret_path, e))?;
        KeyPair::from_secret_hex(&text)
    }

    fn sign(&self, msg: &[u8]) -> String {
        hex::encode(self.signing.sign(msg).to_bytes())
    }
}

/// Parses a public key from hex.
pub fn public_key_from_hex(hex_text: &str) -> Result<VerifyingKey> {
    let bytes = hex::decode(hex_text.trim())
        .map_err(|_| PluginError::Key("公钥不是十六进制文本".into()))?;
    let arr: [u8; 32] = bytes
        .try_into()
        .map_err(|_| PluginError::Key("公钥长度应为32字节".into()))?;
    VerifyingKey::from_bytes(&arr).map_err(|_| PluginError::Key("公钥无效".into()))
}

fn signature_from_hex(hex_text: &str) -> Option<Signature> {
    let bytes = hex::decode(hex_text.trim()).ok()?;
    let arr: [u8; 64] = bytes.try_into().ok()?;
    Some(Signature::from_bytes(&arr))
}

/// `manifest.json` of a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: u32,
    pub sector_id: String,
    pub version: String,
    pub api_version: String,
    pub department: String,
    /// sha256 (hex) of `component.wasm`.
    pub component_sha256: String,
    /// Publisher's public key (hex); `None` for unsigned packages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
}

/// A package read from bytes (not yet verified).
#[derive(Debug, Clone)]
pub struct Package {
    pub manifest: Manifest,
    /// The manifest exactly as stored (what the signature covers).
    pub manifest_bytes: Vec<u8>,
    pub component: Vec<u8>,
    pub signature: Option<String>,
}

/// Builds a package file. With `key` the manifest names the key and is signed.
pub fn build_package(
    component: &[u8],
    mut manifest: Manifest,
    key: Option<&KeyPair>,
) -> Result<Vec<u8>> {
    manifest.format = 1;
    manifest.component_sha256 = sha256_hex(component);
    manifest.public_key = key.map(KeyPair::public_hex);
    let manifest_bytes =
        serde_json::to_vec_pretty(&manifest).map_err(|e| PluginError::Engine(e.to_string()))?;
    let mut out = tar::Builder::new(Vec::new());
    let mut add = |name: &str, data: &[u8]| -> Result<()> {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_cksum();
        out.append_data(&mut header, name, data)
            .map_err(|e| PluginError::io(std::path::Path::new(name), e))
    };
    add("manifest.json", &manifest_bytes)?;
    add("component.wasm", component)?;
    if let Some(key) = key {
        add("signature", key.sign(&manifest_bytes).as_bytes())?;
    }
    out.into_inner()
        .map_err(|e| PluginError::io(std::path::Path::new("package"), e))
}

/// Reads a package file, at most [`MAX_PACKAGE_BYTES`] + 1 bytes of it: a larger file reads
/// as a prefix that [`read_package`] refuses (check `Size`), so a huge file dropped into the
/// plugins folder costs one bounded read, never its whole size in memory.
pub fn read_bounded(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    // Not a FIFO, device or link: those are refused unread (a FIFO would block every
    // command that scans the folder).
    crate::fsutil::regular_file(path)?;
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(MAX_PACKAGE_BYTES + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Largest `manifest.json` accepted.
pub const MAX_MANIFEST_BYTES: u64 = 64 << 10;
/// Largest `signature` accepted (an ed25519 signature is 128 hex digits).
pub const MAX_SIGNATURE_BYTES: u64 = 1 << 10;

/// The members a package may hold, each with its largest size.
fn member_limit(name: &str) -> Option<u64> {
    match name {
        "manifest.json" => Some(MAX_MANIFEST_BYTES),
        "component.wasm" => Some(MAX_PACKAGE_BYTES),
        "signature" => Some(MAX_SIGNATURE_BYTES),
        _ => None,
    }
}

/// Reads a package's members. Refuses (check `Size`/`Format`) anything else.
///
/// Bounded in time and memory whatever the bytes: only regular-file members named
/// `manifest.json`, `component.wasm` and `signature` are read, each at most once and through a
/// limit of its allowed size, and all members together at most [`MAX_PACKAGE_BYTES`]. Sparse
/// members (which read back as far more zeros than they occupy), links, devices, folders and
/// every other entry type are refused before anything is read from them.
pub fn read_package(bytes: &[u8]) -> Result<Package> {
    if bytes.len() as u64 > MAX_PACKAGE_BYTES {
        return Err(PluginError::refused(
            Check::Size,
            format!(
                "插件包 {} 字节，超过上限 {MAX_PACKAGE_BYTES} 字节",
                bytes.len()
            ),
        ));
    }
    let bad = |m: String| PluginError::refused(Check::Format, m);
    // The archive library's own words only as a detail after the Chinese sentence.
    let corrupt = |e: std::io::Error| {
        bad(format!(
            "不是有效的插件包或已损坏：插件包应是 `anwei plugins sign` 生成的 .anwpkg 文件（详情：{e}）"
        ))
    };
    let too_big = |m: String| PluginError::refused(Check::Size, m);
    let mut archive = tar::Archive::new(bytes);
    let (mut manifest_bytes, mut component, mut signature) = (None, None, None);
    let mut total: u64 = 0;
    let entries = archive.entries().map_err(corrupt)?;
    for entry in entries {
        let mut entry = entry.map_err(corrupt)?;
        let name = entry.path().map_err(corrupt)?.to_string_lossy().to_string();
        let shown = name.escape_debug().to_string();
        let kind = entry.header().entry_type();
        if kind != tar::EntryType::Regular {
            return Err(bad(format!(
                "插件包成员“{shown}”不是普通文件（类型：{}），插件包只能含普通文件，已拒绝（成员类型检查）",
                entry_kind_zh(kind)
            )));
        }
        let Some(limit) = member_limit(&name) else {
            return Err(bad(format!("插件包含有未知文件“{shown}”")));
        };
        let slot = match name.as_str() {
            "manifest.json" => manifest_bytes.is_some(),
            "component.wasm" => component.is_some(),
            _ => signature.is_some(),
        };
        if slot {
            return Err(bad(format!(
                "插件包中“{shown}”出现了不止一次，已拒绝（成员重复检查）"
            )));
        }
        let declared = entry.size();
        if declared > limit {
            return Err(too_big(format!(
                "插件包成员“{shown}”声明 {declared} 字节，超过上限 {limit} 字节"
            )));
        }
        let budget = MAX_PACKAGE_BYTES.saturating_sub(total);
        if declared > budget {
            return Err(too_big(format!(
                "插件包各成员合计超过上限 {MAX_PACKAGE_BYTES} 字节"
            )));
        }
        // `declared` is at most the limit; read one byte more to see a member that lies
        // about its size, never more.
        let mut data = Vec::with_capacity(usize::try_from(declared).unwrap_or(0));
        entry
            .by_ref()
            .take(declared.saturating_add(1))
            .read_to_end(&mut data)
            .map_err(corrupt)?;
        if data.len() as u64 != declared {
            return Err(bad(format!(
                "插件包成员“{shown}”的长度与声明不符，插件包已损坏"
            )));
        }
        total += declared;
        match name.as_str() {
            "manifest.json" => manifest_bytes = Some(data),
            "component.wasm" => component = Some(data),
            _ => signature = Some(String::from_utf8_lossy(&data).to_string()),
        }
    }
    let manifest_bytes = manifest_bytes.ok_or_else(|| bad("插件包缺少 manifest.json".into()))?;
    let component = component.ok_or_else(|| bad("插件包缺少 component.wasm".into()))?;
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes)
        .map_err(|e| bad(format!("manifest.json 格式错误：{e}")))?;
    if manifest.format != 1 {
        return Err(bad(format!("插件包格式版本 {} 不受支持", manifest.format)));
    }
    Ok(Package {
        manifest,
        manifest_bytes,
        component,
        signature,
    })
}

/// A tar entry type in Chinese, for refusals.
fn entry_kind_zh(kind: tar::EntryType) -> String {
    match kind {
        tar::EntryType::GNUSparse => "稀疏文件".into(),
        tar::EntryType::Symlink => "符号链接".into(),
        tar::EntryType::Link => "硬链接".into(),
        tar::EntryType::Char => "字符设备".into(),
        tar::EntryType::Block => "块设备".into(),
        tar::EntryType::Directory => "文件夹".into(),
        tar::EntryType::Fifo => "管道".into(),
        tar::EntryType::Continuous => "连续文件".into(),
        other => format!("代码 {}", other.as_byte().escape_ascii()),
    }
}

/// One trusted publisher.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustEntry {
    pub department: String,
    /// ed25519 public key (hex).
    pub public_key: String,
    /// Sector ids this key may publish.
    pub sectors: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TrustBody {
    format: u32,
    entries: Vec<TrustEntry>,
}

/// The trust list file (`plugins/trust.json`): entries signed by the office's root key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustList {
    pub format: u32,
    pub entries: Vec<TrustEntry>,
    /// Root key's signature (hex) over the canonical JSON of `{format, entries}`.
    pub signature: String,
}

fn trust_body_bytes(entries: &[TrustEntry]) -> Result<Vec<u8>> {
    serde_json::to_vec(&TrustBody {
        format: 1,
        entries: entries.to_vec(),
    })
    .map_err(|e| PluginError::Trust(e.to_string()))
}

impl TrustList {
    /// Signs `entries` with the office's root key.
    pub fn sign(entries: Vec<TrustEntry>, root: &KeyPair) -> Result<TrustList> {
        let signature = root.sign(&trust_body_bytes(&entries)?);
        Ok(TrustList {
            format: 1,
            entries,
            signature,
        })
    }

    pub fn from_json(text: &str) -> Result<TrustList> {
        serde_json::from_str(text).map_err(|e| PluginError::Trust(e.to_string()))
    }

    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self).map_err(|e| PluginError::Trust(e.to_string()))
    }

    /// Checks the root signature.
    pub fn verify(&self, root: &VerifyingKey) -> Result<()> {
        if self.format != 1 {
            return Err(PluginError::Trust(format!(
                "格式版本 {} 不受支持",
                self.format
            )));
        }
        let sig = signature_from_hex(&self.signature)
            .ok_or_else(|| PluginError::Trust("签名格式错误".into()))?;
        root.verify(&trust_body_bytes(&self.entries)?, &sig)
            .map_err(|_| PluginError::Trust("根密钥签名校验失败，信任列表可能被篡改".into()))
    }
}

/// How a package was accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Trust {
    /// Compiled into the desk.
    BuiltIn,
    /// Signed by a department key on the trust list.
    Signed { department: String },
    /// Unsigned or untrusted, accepted in developer mode: the UI must warn.
    Developer { reason: String },
}

/// Checks signature, key, sector and hash (not the component itself, not the version).
/// `trust` is the verified trust list (`None`: no trust list installed).
pub fn verify_package(
    pkg: &Package,
    trust: Option<&TrustList>,
    developer_mode: bool,
) -> Result<Trust> {
    if sha256_hex(&pkg.component) != pkg.manifest.component_sha256.to_ascii_lowercase() {
        return Err(PluginError::refused(
            Check::Hash,
            "component.wasm 的哈希与清单不符，插件包可能被篡改",
        ));
    }
    let sector = &pkg.manifest.sector_id;
    let signed = (|| {
        let (Some(sig), Some(key_hex)) = (&pkg.signature, &pkg.manifest.public_key) else {
            return Err(PluginError::refused(Check::Unsigned, "插件包未签名"));
        };
        let Some(trust) = trust else {
            return Err(PluginError::refused(
                Check::Key,
                "尚未安装信任列表，无法确认签名密钥",
            ));
        };
        let entry = trust
            .entries
            .iter()
            .find(|e| e.public_key.eq_ignore_ascii_case(key_hex.trim()))
            .ok_or_else(|| PluginError::refused(Check::Key, "签名密钥不在安委办的信任列表中"))?;
        let key = public_key_from_hex(key_hex)
            .map_err(|e| PluginError::refused(Check::Key, e.to_string()))?;
        let sig = signature_from_hex(sig)
            .ok_or_else(|| PluginError::refused(Check::Signature, "签名格式错误"))?;
        key.verify(&pkg.manifest_bytes, &sig).map_err(|_| {
            PluginError::refused(Check::Signature, "签名校验失败，插件包可能被篡改")
        })?;
        if !entry.sectors.iter().any(|s| s == sector) {
            return Err(PluginError::refused(
                Check::Sector,
                format!(
                    "{}的密钥无权发布专项“{sector}”（授权：{}）",
                    entry.department,
                    entry.sectors.join("、")
                ),
            ));
        }
        Ok(Trust::Signed {
            department: entry.department.clone(),
        })
    })();
    match signed {
        Ok(t) => Ok(t),
        // Developer mode accepts unsigned or untrusted plugins, flagged, but never a bad
        // signature made with a trusted key, a wrong sector or a bad hash.
        Err(PluginError::Refused {
            check: check @ (Check::Unsigned | Check::Key),
            message,
        }) => {
            if developer_mode {
                Ok(Trust::Developer { reason: message })
            } else {
                Err(PluginError::Refused { check, message })
            }
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        Manifest {
            format: 1,
            sector_id: "coal-mining".into(),
            version: "1.0.0".into(),
            api_version: "1.0.0".into(),
            department: "区能源局".into(),
            component_sha256: String::new(),
            public_key: None,
        }
    }

    #[test]
    fn sign_and_verify_round_trip() {
        let root = KeyPair::generate();
        let dept = KeyPair::generate();
        let trust = TrustList::sign(
            vec![TrustEntry {
                department: "区能源局".into(),
                public_key: dept.public_hex(),
                sectors: vec!["coal-mining".into()],
            }],
            &root,
        )
        .unwrap();
        let trust = TrustList::from_json(&trust.to_json().unwrap()).unwrap();
        trust.verify(&root.verifying_key()).unwrap();
        assert!(trust.verify(&KeyPair::generate().verifying_key()).is_err());
        let bytes = build_package(b"component", manifest(), Some(&dept)).unwrap();
        let pkg = read_package(&bytes).unwrap();
        assert_eq!(
            verify_package(&pkg, Some(&trust), false).unwrap(),
            Trust::Signed {
                department: "区能源局".into()
            }
        );
        let again = KeyPair::from_secret_hex(&dept.secret_hex()).unwrap();
        assert_eq!(again.public_hex(), dept.public_hex());
        let dir = tempfile::tempdir().unwrap();
        let (secret, public) = dept.save(&dir.path().join("区能源局")).unwrap();
        assert_eq!(
            KeyPair::load(&secret).unwrap().public_hex(),
            dept.public_hex()
        );
        assert_eq!(
            std::fs::read_to_string(public).unwrap().trim(),
            dept.public_hex()
        );
        assert!(dept.save(&dir.path().join("区能源局")).is_err());
    }
}
