//! The private socket tiny_http listens on, which only the connection guard connects to.

use std::io;
use std::sync::Arc;

/// The private socket tiny_http listens on: a Unix socket in the abstract namespace (Linux) or
/// in a private folder, out of reach of any web page; elsewhere a loopback TCP port.
#[derive(Clone)]
pub(crate) struct Backend {
    #[cfg(unix)]
    address: Arc<std::os::unix::net::SocketAddr>,
    #[cfg(not(unix))]
    address: std::net::SocketAddr,
}

#[cfg(unix)]
pub(crate) type BackendStream = std::os::unix::net::UnixStream;
#[cfg(not(unix))]
pub(crate) type BackendStream = std::net::TcpStream;

impl Backend {
    /// Starts listening; tiny_http takes the listener.
    #[cfg(unix)]
    pub(crate) fn listen() -> io::Result<(tiny_http::Listener, Backend)> {
        use std::os::unix::net::UnixListener;
        let name = format!(
            "mekong-serve-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        );
        #[cfg(target_os = "linux")]
        let address = {
            use std::os::linux::net::SocketAddrExt;
            std::os::unix::net::SocketAddr::from_abstract_name(name)?
        };
        #[cfg(not(target_os = "linux"))]
        let address = {
            use std::os::unix::fs::DirBuilderExt;
            let folder = std::env::temp_dir().join(name);
            std::fs::DirBuilder::new().mode(0o700).create(&folder)?;
            std::os::unix::net::SocketAddr::from_pathname(folder.join("socket"))?
        };
        let listener = UnixListener::bind_addr(&address)?;
        let address = listener.local_addr()?;
        Ok((
            listener.into(),
            Backend {
                address: Arc::new(address),
            },
        ))
    }

    #[cfg(not(unix))]
    pub(crate) fn listen() -> io::Result<(tiny_http::Listener, Backend)> {
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
        let address = listener.local_addr()?;
        Ok((listener.into(), Backend { address }))
    }

    /// Opens and at once closes a connection to tiny_http. tiny_http 0.12's thread pool can lose
    /// a wake-up when two connections arrive together (it counts a thread as idle until that
    /// thread has taken the first), leaving the second connection unread until some other
    /// connection ends. Each new connection wakes an idle thread, which takes the oldest waiting
    /// one first; this empty one is read at EOF and gone in an instant.
    pub(crate) fn nudge(&self) {
        drop(self.connect());
    }

    pub(crate) fn connect(&self) -> io::Result<BackendStream> {
        #[cfg(unix)]
        {
            BackendStream::connect_addr(&self.address)
        }
        #[cfg(not(unix))]
        {
            BackendStream::connect(self.address)
        }
    }
}
