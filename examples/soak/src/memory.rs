//! The server's resident memory: `process_resident_memory_bytes` from its
//! Prometheus endpoint, or `VmRSS` from /proc when given a process id.

use reqwest::{Client, Url};

/// Where the server's memory is read.
#[derive(Debug, Clone)]
pub enum Source {
    /// The server's `/metrics`.
    Metrics(Url),
    /// `/proc/<pid>/status` of the server process.
    Proc(u32),
}

impl Source {
    /// Says where the figure comes from.
    pub fn describe(&self) -> String {
        match self {
            Source::Metrics(url) => format!("process_resident_memory_bytes at {url}"),
            Source::Proc(pid) => format!("VmRSS of process {pid}"),
        }
    }

    /// Resident bytes now.
    pub async fn sample(&self, client: &Client) -> Result<f64, String> {
        match self {
            Source::Metrics(url) => {
                let response = client.get(url.clone()).send().await.map_err(|e| format!("{url}: {e}"))?;
                let text = response.text().await.map_err(|e| format!("{url}: {e}"))?;
                resident_from_metrics(&text).ok_or_else(|| format!("{url} has no process_resident_memory_bytes"))
            }
            Source::Proc(pid) => {
                let path = format!("/proc/{pid}/status");
                let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
                resident_from_proc_status(&text).ok_or_else(|| format!("{path} has no VmRSS"))
            }
        }
    }
}

/// The value of `process_resident_memory_bytes` in Prometheus text.
pub fn resident_from_metrics(text: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix("process_resident_memory_bytes "))
        .and_then(|value| value.trim().parse().ok())
}

/// `VmRSS:   12345 kB` in bytes.
fn resident_from_proc_status(text: &str) -> Option<f64> {
    let kb: f64 =
        text.lines().find_map(|l| l.strip_prefix("VmRSS:"))?.trim().strip_suffix("kB")?.trim().parse().ok()?;
    Some(kb * 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_formats() {
        let metrics = "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes 1.6384e7\n";
        assert_eq!(resident_from_metrics(metrics), Some(16_384_000.0));
        assert_eq!(resident_from_metrics("process_virtual_memory_bytes 1\n"), None);
        assert_eq!(resident_from_proc_status("Name:\tserver\nVmRSS:\t   2048 kB\n"), Some(2_097_152.0));
    }

    #[test]
    fn this_process_has_a_resident_size() {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        assert!(resident_from_proc_status(&status).is_some_and(|b| b > 0.0));
    }
}
