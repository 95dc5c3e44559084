//! The home page: the instance's assemblies.

use askama::Template;
use axum::extract::State as AppState;
use axum::response::Response;

use crate::App;
use crate::context::Ctx;
use crate::error::WebError;
use crate::pages::{Page, render};

#[derive(Debug)]
pub struct BodyItem {
    pub slug: String,
    pub name: String,
    pub members: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    page: Page,
    bodies: Vec<BodyItem>,
    /// A signed-in resident may create an assembly.
    signed_in: bool,
}

pub async fn show(ctx: Ctx, AppState(app): AppState<App>) -> Result<Response, WebError> {
    let tr = ctx.tr;
    let bodies = app
        .store
        .read(|s| {
            s.bodies()
                .map(|b| BodyItem {
                    slug: b.slug.to_string(),
                    name: b.name.to_string(),
                    members: tr.n("members-count", b.current_members().count() as u64),
                })
                .collect()
        })
        .await;
    render(&Home { page: Page::new(&ctx, tr.t("home-title")), bodies, signed_in: ctx.viewer.is_some() }, &ctx)
}
