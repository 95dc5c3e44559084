//! Any bytes: the reader and the checker never panic, the reader's fast path for plain rows
//! agrees with its general path, and what the reader accepts survives write → read unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plenum_choice::pb::{check::check, pabulib};

fuzz_target!(|data: &[u8]| {
    let report = check("fuzz.pb", data);
    assert!(report.is_valid() == report.errors.is_empty());
    let read = pabulib::read("fuzz.pb", data);
    let slow = pabulib::read_every_row_the_long_way("fuzz.pb", data);
    assert_eq!(
        read.as_ref().map_err(|e| e.to_string()),
        slow.as_ref().map_err(|e| e.to_string()),
        "fast and general paths differ"
    );
    if let Ok(election) = read {
        let mut written = Vec::new();
        if let Err(e) = pabulib::write(&election, &mut written) {
            panic!("an election the reader accepted cannot be written: {e}");
        }
        match pabulib::read("written.pb", &written) {
            Ok(again) => assert!(again == election, "the election changed in write → read"),
            Err(e) => panic!("the writer's output cannot be read: {e}\n{}", String::from_utf8_lossy(&written)),
        }
        let _ = check("written.pb", &written);
    }
});
