//! The addresses the server listens on, once both are bound. Port 0 in the
//! configuration means any free port; `--ready-file` tells a test (or a
//! supervisor) which ports it got, so nothing picks a port and races for it.

use std::net::SocketAddr;
use std::path::Path;

use serde::Serialize;

/// Where the API and the metrics are served.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Bound {
    /// The page and the API (`http://{addr}/`).
    pub addr: SocketAddr,
    /// `GET /metrics`.
    pub metrics_addr: SocketAddr,
}

impl Bound {
    /// The page's URL.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Writes `{"url", "addr", "metricsAddr"}` to `path` all at once (a
    /// temporary file renamed over it), so a reader never sees half of it.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let mut body = serde_json::to_value(self).map_err(std::io::Error::other)?;
        body["url"] = self.url().into();
        let partial = path.with_extension("partial");
        std::fs::write(&partial, body.to_string())?;
        std::fs::rename(&partial, path)
    }
}
