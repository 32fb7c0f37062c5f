//! What the tests that start `qorgau serve` share: waiting for the line
//! that says where it listens, then reading the rest of what it says.

use std::io::{BufRead, BufReader};
use std::process::Child;

/// The `host:port` a `serve` started with piped stderr listens on. Keeps
/// reading its stderr afterwards, as a terminal would: a closed pipe makes
/// the server's next line of output fail, a full one blocks it.
pub fn address(server: &mut Child) -> String {
    let mut lines = BufReader::new(server.stderr.take().expect("stderr piped")).lines();
    loop {
        let line = lines
            .next()
            .expect("the server says where it listens")
            .unwrap();
        if let Some(rest) = line.strip_prefix("serving Qorgau on http://") {
            let addr = rest.split_whitespace().next().unwrap().to_owned();
            std::thread::spawn(move || lines.for_each(drop));
            return addr;
        }
    }
}
