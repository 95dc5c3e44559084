//! A real election with a decimal budget (Warszawa 2017) imported through open data: the pages
//! show its amounts exactly and the API says how many decimals its amounts have.

use axum::http::StatusCode;

use crate::engine::{TestApp, TestDb, on_both_engines};

on_both_engines!(an_imported_decimal_budget_is_shown_exactly);

async fn an_imported_decimal_budget_is_shown_exactly(db: &TestDb) {
    let mut rosa = TestApp::new(db);
    rosa.sign_up("rosa", "Rosa").await;
    crate::flows::assembly(db, "rosa", "riverside").await;
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/pabulib/Poland_Warszawa_2017_Grochow_Kinowa.pb");
    let election = plenum_choice::pb::pabulib::read("warszawa", &std::fs::read(path).unwrap()).unwrap();
    let cycle = plenum_web::open_data::import_pabulib(&db.store, "riverside", election).await.unwrap();
    let mut anyone = rosa.browser();
    let page = anyone.get(&format!("/budget-cycles/{cycle}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("216\u{202f}829.41 PLN"), "{}", page.body);
    let results = anyone.get(&format!("/budget-cycles/{cycle}/results")).await;
    assert!(results.body.contains("216\u{202f}829.41 PLN"));
    let csv = anyone.get(&format!("/budget-cycles/{cycle}/projects.csv")).await.body;
    assert!(csv.contains(";9000.00;1;9000.00;"), "amounts as the numbers they stand for: {csv}");
    let api = anyone.get(&format!("/api/v1/budget-cycles/{cycle}")).await.json();
    assert_eq!((api["total"].as_u64(), api["decimals"].as_u64()), (Some(21_682_941), Some(2)));
}
