//! Puts a fake together: the control API under `/__fake/`, the mode that
//! answers the API (the stateful account), and the shared layer around it.

use std::sync::Arc;

use axum::Router;

use crate::config::Config;
use crate::control_api;
use crate::layer::intercept::{Control, ADMIN_PREFIX, MAX_REQUEST_BODY};
use crate::layer::{self, Layer};
use crate::stateful::{self, App};

/// The fake's routes, and the handles its owner controls it with.
pub struct Served {
    pub router: Router,
    pub app: Arc<App>,
    pub control: Arc<Control>,
}

/// The fake's router; a configuration it cannot serve (an endpoint limit of
/// an unknown operation) is refused.
pub fn router(config: Config, base_url: String) -> std::io::Result<Served> {
    let layer = Arc::new(Layer::new(&config)?);
    let control = layer.control.clone();
    let app = Arc::new(App::new(config, base_url));
    let api = stateful::routes(app.clone())
        .layer(axum::extract::DefaultBodyLimit::max(MAX_REQUEST_BODY));
    let router = Router::new()
        .nest(ADMIN_PREFIX, control_api::router(app.clone(), control.clone()))
        .merge(api)
        .layer(axum::middleware::from_fn_with_state(layer, layer::handle));
    Ok(Served {
        router,
        app,
        control,
    })
}
