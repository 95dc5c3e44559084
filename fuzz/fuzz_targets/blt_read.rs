//! Any bytes: the BLT reader never panics, and what it accepts survives write → read unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plenum_choice::vote::blt;

fuzz_target!(|data: &[u8]| {
    let Ok(election) = blt::read("fuzz.blt", data) else { return };
    let mut written = Vec::new();
    if let Err(e) = blt::write(&election, &mut written) {
        panic!("an election the reader accepted cannot be written: {e}");
    }
    match blt::read("written.blt", &written) {
        Ok(again) => assert!(again == election, "the election changed in write → read"),
        Err(e) => panic!("the writer's output cannot be read: {e}\n{}", String::from_utf8_lossy(&written)),
    }
});
