//! Build script: derive the whole lwIP ABI from the headers of the active profile.
//!
//! 1. Resolve the ABI profile (include dirs, extra cflags, clang target).
//! 2. Run bindgen on `include/smolwip_abi.h`; a parse callback collects the values clang
//!    computed for the items listed in `include/smolwip_abi_items.h` (sizes, offsets,
//!    constants), which tells us which items exist in this profile.
//! 3. Generate `abi_items.rs`: typed constants (`abi::c::*`), the layout/constant tables the
//!    library exports for the C-side ABI check, and compile-time asserts that bindgen's Rust
//!    structs agree with clang.
//! 4. Run cbindgen on `src/api.rs` (the project's own C API) into `$OUT_DIR/smolwip.h`.

use std::collections::BTreeMap;
use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use bindgen::callbacks::{EnumVariantValue, ParseCallbacks};

/// Values clang computed for the `SMOLWIP_{L,F,C}__*` enum constants.
#[derive(Debug, Default, Clone)]
struct Collected(Arc<Mutex<BTreeMap<String, i128>>>);

impl ParseCallbacks for Collected {
    fn enum_variant_name(
        &self,
        _enum_name: Option<&str>,
        name: &str,
        value: EnumVariantValue,
    ) -> Option<String> {
        if name.starts_with("SMOLWIP_") {
            let v = match value {
                EnumVariantValue::Boolean(b) => b as i128,
                EnumVariantValue::Signed(v) => v as i128,
                EnumVariantValue::Unsigned(v) => v as i128,
            };
            self.0.lock().unwrap().insert(name.to_string(), v);
        }
        None
    }
}

struct Profile {
    name: String,
    include_dirs: Vec<PathBuf>,
    cflags: Vec<String>,
}

fn pkg_config_include_dirs() -> Vec<PathBuf> {
    let out = Command::new("pkg-config").args(["--cflags", "lwip"]).output();
    match out {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout)
            .split_whitespace()
            .filter_map(|f| f.strip_prefix("-I").map(PathBuf::from))
            .collect(),
        _ => panic!(
            "no lwIP headers: set LWIP_INCLUDE_DIRS, or install Debian's liblwip-dev \
             (scripts/deps.sh does) so that `pkg-config --cflags lwip` works"
        ),
    }
}

fn split_list(s: &str) -> Vec<String> {
    s.split(|c: char| c == ':' || c == ';' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

fn resolve_profile(crate_dir: &Path) -> Profile {
    let name = env::var("SMOLWIP_PROFILE").unwrap_or_else(|_| "debian".into());
    let mut include_dirs: Vec<PathBuf> = match env::var("LWIP_INCLUDE_DIRS") {
        Ok(dirs) if !dirs.trim().is_empty() => split_list(&dirs).into_iter().map(PathBuf::from).collect(),
        _ => {
            let mut dirs = Vec::new();
            match name.as_str() {
                "debian" => {}
                "native" => dirs.push(crate_dir.join("profiles/native")),
                other => panic!(
                    "profile `{other}` needs LWIP_INCLUDE_DIRS (the include directories of its lwIP headers)"
                ),
            }
            dirs.extend(pkg_config_include_dirs());
            dirs
        }
    };
    // Host profiles get smolwip's edition of ESP-IDF's esp_netif headers (last, so a
    // profile's own esp_netif headers, ESP-IDF's on target, always win).
    if matches!(name.as_str(), "debian" | "native") {
        include_dirs.push(crate_dir.join("include/esp-host"));
    }
    include_dirs.dedup();
    let cflags = env::var("LWIP_CFLAGS").map(|s| s.split_whitespace().map(str::to_string).collect()).unwrap_or_default();
    Profile { name, include_dirs, cflags }
}

/// The clang spelling of the cargo target, so 32-bit targets get 32-bit layouts.
fn clang_target(target: &str) -> String {
    if let Some(rest) = target.strip_prefix("riscv32") {
        // riscv32imac-unknown-none-elf -> riscv32-unknown-none-elf
        let tail = rest.split_once('-').map(|(_, t)| t).unwrap_or("unknown-none-elf");
        return format!("riscv32-{tail}");
    }
    target.to_string()
}

const RUST_KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "static",
    "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn",
];

fn rust_field(f: &str) -> String {
    if RUST_KEYWORDS.contains(&f) { format!("{f}_") } else { f.to_string() }
}

/// `SMOLWIP_CONST(name, type)` lines of the item list: the Rust type of each constant.
fn const_types(items: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in items.lines() {
        let Some(rest) = line.trim().strip_prefix("SMOLWIP_CONST(") else { continue };
        let Some(args) = rest.strip_suffix(')') else { continue };
        let mut parts = args.split(',').map(str::trim);
        if let (Some(n), Some(t)) = (parts.next(), parts.next()) {
            out.insert(n.to_string(), t.to_string());
        }
    }
    out
}

/// Rust names of the types in `SMOLWIP_LAYOUT(rs, ...)` lines (they are allowlisted for bindgen).
fn layout_types(items: &str) -> Vec<String> {
    items
        .lines()
        .filter_map(|l| l.trim().strip_prefix("SMOLWIP_LAYOUT("))
        .filter_map(|r| r.split(',').next())
        .map(|s| s.trim().to_string())
        .collect()
}

fn rust_type(t: &str) -> &str {
    match t {
        "err_t" => "err_t",
        "c_int" => "core::ffi::c_int",
        "c_long" => "core::ffi::c_long",
        "opt" => "core::ffi::c_int",
        other => other,
    }
}

fn generate_items(collected: &BTreeMap<String, i128>, types: &BTreeMap<String, String>) -> (String, Vec<String>) {
    let mut consts = String::new();
    let mut const_table = String::new();
    let mut layouts = String::new();
    let mut asserts = String::new();
    let mut cfgs = Vec::new();

    for (key, value) in collected {
        if let Some(name) = key.strip_prefix("SMOLWIP_C__") {
            let ty = types.get(name).unwrap_or_else(|| panic!("constant {name} has no type in the item list"));
            writeln!(consts, "    pub const {name}: {} = {value} as {};", rust_type(ty), rust_type(ty)).unwrap();
            writeln!(const_table, "    AbiConstant {{ name: c\"{name}\".as_ptr(), value: {value} }},").unwrap();
            if ty == "opt" && *value != 0 {
                cfgs.push(name.to_ascii_lowercase().trim_start_matches("lwip_").to_string());
            }
        } else if let Some(ty) = key.strip_prefix("SMOLWIP_L__") {
            writeln!(
                layouts,
                "    AbiLayout {{ type_name: c\"{ty}\".as_ptr(), field: core::ptr::null(), offset: 0, \
                 size: core::mem::size_of::<{ty}>(), align: core::mem::align_of::<{ty}>() }},"
            )
            .unwrap();
            writeln!(asserts, "const _: () = assert!(core::mem::size_of::<{ty}>() == {value});").unwrap();
        } else if let Some(rest) = key.strip_prefix("SMOLWIP_F__") {
            let (ty, field) = rest.split_once("__").expect("field item without `__`");
            let rf = rust_field(field);
            writeln!(
                layouts,
                "    AbiLayout {{ type_name: c\"{ty}\".as_ptr(), field: c\"{field}\".as_ptr(), \
                 offset: core::mem::offset_of!({ty}, {rf}), size: field_size!({ty}, {rf}), align: 0 }},"
            )
            .unwrap();
            writeln!(asserts, "const _: () = assert!(core::mem::offset_of!({ty}, {rf}) == {value});").unwrap();
        }
    }

    let code = format!(
        "/// Integer constants of the profile, typed, with the values clang computed.\n\
         pub mod c {{\n    #[allow(unused_imports)]\n    use super::*;\n{consts}}}\n\n\
         /// Every layout item of this profile, from bindgen's types.\n\
         pub static LAYOUTS: &[AbiLayout] = &[\n{layouts}];\n\n\
         /// Every constant item of this profile.\n\
         pub static CONSTANTS: &[AbiConstant] = &[\n{const_table}];\n\n\
         // bindgen's structs must agree with clang's layout of the same headers.\n{asserts}"
    );
    (code, cfgs)
}

/// bindgen on `header` as the profile's C compiler sees it: the cargo target's clang
/// target, the profile's include directories and flags, and the output style both of our
/// bindings share.
fn bindgen_for(header: &Path, target: &str, profile: &Profile) -> bindgen::Builder {
    let mut builder = bindgen::Builder::default()
        .header(header.to_string_lossy())
        .clang_arg(format!("--target={}", clang_target(target)))
        .use_core()
        .ctypes_prefix("core::ffi")
        .generate_comments(false)
        .layout_tests(false)
        .derive_default(true)
        .derive_debug(false)
        .prepend_enum_name(false)
        .default_enum_style(bindgen::EnumVariation::Consts);
    for dir in &profile.include_dirs {
        builder = builder.clang_arg(format!("-I{}", dir.display()));
    }
    for flag in &profile.cflags {
        builder = builder.clang_arg(flag);
    }
    builder
}

/// Targets without an OS (ESP-IDF, RTOS firmware): the C library and pthreads the firmware
/// provides, from the toolchain's own headers (`include/smolwip_libc.h`), into `clib.rs`.
/// Hosted targets use the `libc` crate instead (`src/sys/clib.rs`).
fn c_library(crate_dir: &Path, out_dir: &Path, target: &str, profile: &Profile) {
    println!("cargo:rerun-if-changed=include/smolwip_libc.h");
    let builder = bindgen_for(&crate_dir.join("include/smolwip_libc.h"), target, profile)
        // Else clang's implicit builtin prototypes (malloc(unsigned int)...) replace the headers'.
        .clang_arg("-fno-builtin")
        .allowlist_function("(malloc|calloc|free|aligned_alloc|abort|clock_gettime|usleep)")
        .allowlist_function("pthread_(create|self|attr_.*|mutex_.*|mutexattr_.*|cond_.*|condattr_.*)")
        .allowlist_type("(timespec|clockid_t|useconds_t|pthread_.*_t|pthread_t)")
        .allowlist_item("SMOLWIP_.*");
    let bindings = builder.generate().expect(
        "bindgen failed on include/smolwip_libc.h: LWIP_CFLAGS must reach the toolchain's C library \
         headers (newlib/picolibc with pthreads, e.g. -isystem <sysroot>/include -D_POSIX_THREADS)",
    );
    bindings.write_to_file(out_dir.join("clib.rs")).expect("write clib.rs");
}

fn main() {
    let crate_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());
    let target = env::var("TARGET").unwrap();

    for var in ["SMOLWIP_PROFILE", "LWIP_INCLUDE_DIRS", "LWIP_CFLAGS"] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    println!("cargo:rerun-if-changed=include/smolwip_abi.h");
    println!("cargo:rerun-if-changed=include/smolwip_abi_items.h");
    println!("cargo:rerun-if-changed=profiles");
    println!("cargo:rerun-if-changed=include/esp-host");
    println!("cargo:rerun-if-changed=src/api.rs");

    let profile = resolve_profile(&crate_dir);
    for dir in &profile.include_dirs {
        println!("cargo:rerun-if-changed={}", dir.join("lwipopts.h").display());
    }

    // --- bindgen -----------------------------------------------------------------
    let items_path = crate_dir.join("include/smolwip_abi_items.h");
    let items = fs::read_to_string(&items_path).expect("read item list");
    let collected = Collected::default();
    let mut builder = bindgen_for(&crate_dir.join("include/smolwip_abi.h"), &target, &profile)
        .clang_arg("-DSMOLWIP_BINDGEN")
        .clang_arg(format!("-I{}", crate_dir.join("include").display()))
        .allowlist_file(".*/lwip/.*")
        .allowlist_file(".*/netif/.*")
        .allowlist_file(".*/arch/.*")
        .allowlist_file(".*lwipopts\\.h")
        .allowlist_file(".*/esp_netif[a-z_]*\\.h")
        .allowlist_file(".*/esp_err\\.h")
        .allowlist_file(".*/esp_event[a-z_]*\\.h")
        .allowlist_item("SMOLWIP_.*")
        // lwip_select takes the C library's fd_set where that library has one (newlib).
        .allowlist_type("fd_set")
        .parse_callbacks(Box::new(collected.clone()));
    for ty in layout_types(&items) {
        builder = builder.allowlist_type(ty);
    }
    let bindings = builder.generate().expect("bindgen failed on include/smolwip_abi.h");
    bindings.write_to_file(out_dir.join("bindings.rs")).expect("write bindings");
    // `cfg(lwip_fn = "name")` for every function the profile's headers declare, for the
    // exports only some profiles have (ESP-IDF makes sys_msleep a macro for sys_delay_ms).
    println!("cargo:rustc-check-cfg=cfg(lwip_fn, values(any()))");
    for line in bindings.to_string().lines() {
        if let Some(rest) = line.trim_start().strip_prefix("pub fn ") {
            if let Some((name, _)) = rest.split_once('(') {
                println!("cargo:rustc-cfg=lwip_fn=\"{name}\"");
            }
        }
    }
    if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("none") {
        c_library(&crate_dir, &out_dir, &target, &profile);
    }

    let collected = collected.0.lock().unwrap().clone();
    let (code, cfgs) = generate_items(&collected, &const_types(&items));
    fs::write(out_dir.join("abi_items.rs"), code).expect("write abi_items.rs");
    println!("cargo:rustc-check-cfg=cfg(lwip, values(any()))");
    for cfg in cfgs {
        println!("cargo:rustc-cfg=lwip=\"{cfg}\"");
    }
    let dirs: Vec<String> = profile.include_dirs.iter().map(|d| d.display().to_string()).collect();
    fs::write(
        out_dir.join("profile.rs"),
        format!(
            "/// Name of the ABI profile this library was built for.\npub const PROFILE: &core::ffi::CStr = c\"{}\";\n\
             /// Include directories of that profile, as bindgen saw them.\npub const INCLUDE_DIRS: &core::ffi::CStr = c\"{}\";\n",
            profile.name,
            dirs.join(":")
        ),
    )
    .unwrap();

    // --- cbindgen: the project's own C API -----------------------------------------
    let header = out_dir.join("smolwip.h");
    let config = cbindgen::Config { usize_is_size_t: true, ..Default::default() };
    cbindgen::Builder::new()
        .with_config(config)
        .with_src(crate_dir.join("src/api.rs"))
        .rename_item("AbiLayout", "smolwip_abi_layout")
        .rename_item("AbiConstant", "smolwip_abi_constant")
        .rename_item("SmolwipNetifStats", "smolwip_netif_stats")
        .rename_item("SmolwipProtoStats", "smolwip_proto_stats")
        .with_language(cbindgen::Language::C)
        .with_include_guard("SMOLWIP_H")
        .with_header(
            "/* smolwip: the library's own C API (not part of lwIP).\n \
             * Generated by cbindgen from src/api.rs; `make header` refreshes it. Do not edit. */",
        )
        .with_no_includes()
        .with_sys_include("stddef.h")
        .with_sys_include("stdint.h")
        .with_sys_include("stdbool.h")
        .with_cpp_compat(true)
        .generate()
        .expect("cbindgen failed on src/api.rs")
        .write_to_file(&header);

    // --- linking -----------------------------------------------------------------
    if target.contains("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,liblwip.so.0");
    }
}
