// The binary embeds libpython. Recording its directory as a run path lets a fresh
// machine start `snipcheck` without LD_LIBRARY_PATH, and recording the interpreter
// lets the embedded worker give examples a real `sys.executable`.
fn main() {
    pyo3_build_config::add_libpython_rpath_link_args();
    let config = pyo3_build_config::get();
    if let Some(exe) = config.executable() {
        println!("cargo:rustc-env=SNIPCHECK_BUILD_PYTHON={exe}");
    }
    println!("cargo:rerun-if-env-changed=PYO3_PYTHON");
}
