//! Serves the synthetic test site until killed, printing its two base URLs:
//! for manual runs and for benchmarks against other capture tools.

fn main() {
    let site = qorgau_testsite::TestSite::start();
    println!("{}", site.url(""));
    println!("{}", site.tls_url(""));
    loop {
        std::thread::park();
    }
}
