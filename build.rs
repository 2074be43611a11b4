// The binary embeds libpython. Recording its directory as a run path lets a fresh
// machine start `snipcheck` without LD_LIBRARY_PATH, and recording the interpreter
// lets the embedded interpreter start as that Python, with its environment and a real
// `sys.executable`, when no virtualenv is active and the binary is not installed in a
// Python environment (src/python/embedded.rs); a wheel's build interpreter may be gone.
fn main() {
    pyo3_build_config::add_libpython_rpath_link_args();
    let config = pyo3_build_config::get();
    if let Some(exe) = config.executable() {
        println!("cargo:rustc-env=SNIPCHECK_BUILD_PYTHON={exe}");
    }
    println!("cargo:rerun-if-env-changed=PYO3_PYTHON");
}
