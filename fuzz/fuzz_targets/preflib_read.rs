//! Any bytes: the PrefLib reader never panics, and what it accepts survives write → read
//! unchanged, written as its own narrowest type and as `toi`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plenum_choice::vote::preflib::{self, DataType};

fuzz_target!(|data: &[u8]| {
    // The first byte picks the file name, so the extension check is fuzzed too.
    let (name, data) = match data.split_first() {
        Some((b, rest)) => (["fuzz.soc", "fuzz.soi", "fuzz.toc", "fuzz.toi", "fuzz"][usize::from(*b) % 5], rest),
        None => ("fuzz", data),
    };
    let Ok(election) = preflib::read(name, data) else { return };
    for kind in [DataType::of(&election.rankings), DataType::Toi] {
        let mut written = Vec::new();
        if let Err(e) = preflib::write(&election, kind, &mut written) {
            panic!("an election the reader accepted cannot be written as {kind}: {e}");
        }
        match preflib::read(&format!("written.{kind}"), &written) {
            Ok(again) => assert!(again == election, "the election changed in write → read"),
            Err(e) => panic!("the writer's output cannot be read: {e}\n{}", String::from_utf8_lossy(&written)),
        }
    }
});
