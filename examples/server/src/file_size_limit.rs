//! SIGXFSZ, sent when a write would pass the file size limit (RLIMIT_FSIZE,
//! systemd's `LimitFSIZE=`), kills a process by default: the server, its
//! previews included, would die at the limit. With a handler installed the
//! write fails with EFBIG instead, which the telemetry store answers with
//! 503 like a full disk. tokio's signal listener installs that handler
//! (no unsafe code here); the signals are logged.

use tokio::signal::unix::{signal, SignalKind};

/// Installs the handler now (before any file is written); the returned
/// future logs each signal and never ends.
pub fn survive() -> std::io::Result<impl std::future::Future<Output = ()>> {
    let mut signals = signal(SignalKind::from_raw(rustix::process::Signal::XFSZ.as_raw()))?;
    Ok(async move {
        while signals.recv().await.is_some() {
            tracing::warn!("a write passed the file size limit (SIGXFSZ); it failed and the server goes on");
        }
    })
}
