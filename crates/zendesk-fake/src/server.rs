//! Puts a fake together: the control API under `/__fake/`, the mode that
//! answers the API (the stateful account, a proxy to an upstream, or a
//! recording's replay), and the shared layer around it.

use std::sync::Arc;

use axum::Router;

use crate::config::Config;
use crate::control_api;
use crate::layer::intercept::{Control, ADMIN_PREFIX, MAX_REQUEST_BODY};
use crate::layer::{self, Layer};
use crate::proxy::{self, report::Report, Proxy};
use crate::replay::{self, Replayer};
use crate::stateful::{self, App};

/// The fake's routes, and the handles its owner controls it with.
pub struct Served {
    pub router: Router,
    pub app: Arc<App>,
    pub control: Arc<Control>,
    pub report: Option<Arc<Report>>,
}

/// The fake's router; a configuration it cannot serve (an endpoint limit of
/// an unknown operation, both a proxy and a replay, an upstream that is not
/// a URL, a recording that cannot be read) is refused.
pub fn router(config: Config, base_url: String) -> std::io::Result<Served> {
    let layer = Arc::new(Layer::new(&config)?);
    let control = layer.control.clone();
    let proxy_config = config.proxy.clone();
    let replay_config = config.replay.clone();
    let app = Arc::new(App::new(config, base_url));
    let mut admin = control_api::router(app.clone(), control.clone());
    let mut report = None;
    let api = match (proxy_config, replay_config) {
        (Some(_), Some(_)) => {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "a fake is either a proxy (--upstream) or a replay (--replay), not both",
            ))
        }
        (Some(proxy_config), None) => {
            let proxy = Arc::new(Proxy::new(&proxy_config)?);
            admin = admin.merge(proxy::report_routes(proxy.report.clone()));
            report = Some(proxy.report.clone());
            proxy::routes(proxy)
        }
        (None, Some(replay_config)) => {
            let fallback = replay_config.fallback.then(|| stateful::routes(app.clone()));
            let replayer = Replayer::load(&replay_config.dir, replay_config.scrub, fallback)?;
            replay::routes(Arc::new(replayer))
        }
        (None, None) => stateful::routes(app.clone()),
    };
    let api = api.layer(axum::extract::DefaultBodyLimit::max(MAX_REQUEST_BODY));
    let router = Router::new()
        .nest(ADMIN_PREFIX, admin)
        .merge(api)
        .layer(axum::middleware::from_fn_with_state(layer, layer::handle));
    Ok(Served {
        router,
        app,
        control,
        report,
    })
}
