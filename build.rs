// The default theme and UI strings are embedded: rebuild when any of their files change.
fn main() {
    println!("cargo:rerun-if-changed=locales");
    println!("cargo:rerun-if-changed=themes");
}
