//! Which `Host` (and `Origin`) a request may name: the guard against DNS rebinding, and the
//! list that lets colleagues open a preview served on the office network.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// The host names this server answers to. A page on another site cannot read the preview
/// through a DNS name of its own pointed at this machine, because its requests carry that name.
#[derive(Debug, Clone)]
pub(crate) struct AllowedHosts {
    port: u16,
    /// Lower-case names without a trailing dot, and IP addresses in their canonical form
    /// (IPv6 without brackets).
    names: Vec<String>,
    /// Served beyond loopback: any address of this machine's network interfaces is accepted
    /// too, looked up when asked (a laptop changes networks during the day).
    lan: bool,
}

impl AllowedHosts {
    /// Hosts for a server listening on `bound`; `extra` are the `--allow-host` names.
    pub(crate) fn new(bound: SocketAddr, extra: &[String]) -> AllowedHosts {
        let lan = !bound.ip().is_loopback();
        let mut names: Vec<String> = ["localhost", "127.0.0.1", "::1"].map(str::to_owned).into();
        if !bound.ip().is_unspecified() {
            names.push(bound.ip().to_string());
        }
        if lan && let Some(host_name) = host_name() {
            names.push(format!("{host_name}.local"));
            names.push(host_name);
        }
        names.extend(extra.iter().filter_map(|name| normalise(name)));
        names.sort();
        names.dedup();
        AllowedHosts {
            port: bound.port(),
            names,
            lan,
        }
    }

    /// Whether a request whose `Host` header is `host` may be answered.
    pub(crate) fn allows_host(&self, host: &str) -> bool {
        self.allows_with(host, interface_addresses)
    }

    /// Whether a request sent by a page of `origin` (the `Origin` header) may be answered.
    /// Browsers send it on cross-site requests, so a foreign page is refused at once.
    pub(crate) fn allows_origin(&self, origin: &str) -> bool {
        origin
            .strip_prefix("http://")
            .is_some_and(|host| self.allows_with(host, interface_addresses))
    }

    fn allows_with(&self, host: &str, interfaces: impl FnOnce() -> Vec<IpAddr>) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        if port.unwrap_or(80) != self.port {
            return false;
        }
        let Some(name) = normalise(name) else {
            return false;
        };
        if self.names.contains(&name) {
            return true;
        }
        self.lan && name.parse::<IpAddr>().is_ok_and(|ip| interfaces().contains(&ip))
    }

    /// The addresses other computers can use, for the message printed at start.
    pub(crate) fn lan_urls(&self) -> Vec<String> {
        if !self.lan {
            return Vec::new();
        }
        let mut urls: Vec<String> = interface_addresses()
            .into_iter()
            .filter(|ip| !ip.is_loopback() && !is_link_local(ip))
            .map(|ip| match ip {
                IpAddr::V4(ip) => format!("http://{ip}:{}/", self.port),
                IpAddr::V6(ip) => format!("http://[{ip}]:{}/", self.port),
            })
            .collect();
        urls.sort();
        urls.dedup();
        urls
    }
}

/// `Name:8080` → (`Name`, 8080); `[::1]:80` → (`::1`, 80); `name` → (`name`, none).
fn split_host(host: &str) -> Option<(&str, Option<u16>)> {
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => {
            let (ip, after) = rest.split_once(']')?;
            let port = if after.is_empty() {
                None
            } else {
                Some(after.strip_prefix(':')?)
            };
            (ip, port)
        }
        None => match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        },
    };
    let port = match port {
        Some(port) => Some(port.parse().ok()?),
        None => None,
    };
    Some((name, port))
}

/// Lower case without a trailing dot; IP addresses in canonical form. `None` when empty.
fn normalise(name: &str) -> Option<String> {
    let name = name.trim().trim_end_matches('.');
    let name = name
        .strip_prefix('[')
        .and_then(|n| n.strip_suffix(']'))
        .unwrap_or(name);
    if name.is_empty() {
        return None;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => Some(ip.to_string()),
        Err(_) => Some(name.to_ascii_lowercase()),
    }
}

fn is_link_local(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(ip) => ip.is_link_local(),
        IpAddr::V6(ip) => (ip.segments()[0] & 0xffc0) == 0xfe80,
    }
}

/// This machine's name, as colleagues' computers may know it.
#[cfg(unix)]
fn host_name() -> Option<String> {
    let mut buffer = [0u8; 256];
    // SAFETY: the buffer is writable for its whole length; gethostname NUL-terminates within it
    // or the name is cut, which the search for NUL below tolerates.
    let status = unsafe { libc::gethostname(buffer.as_mut_ptr().cast(), buffer.len()) };
    if status != 0 {
        return None;
    }
    let end = buffer.iter().position(|&b| b == 0).unwrap_or(buffer.len());
    normalise(std::str::from_utf8(&buffer[..end]).ok()?)
}

#[cfg(not(unix))]
fn host_name() -> Option<String> {
    std::env::var("COMPUTERNAME")
        .ok()
        .and_then(|name| normalise(&name))
}

/// Every IP address of this machine's network interfaces.
#[cfg(unix)]
pub(crate) fn interface_addresses() -> Vec<IpAddr> {
    let mut first: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs fills `first` with a list that stays valid until freeifaddrs below.
    if unsafe { libc::getifaddrs(&mut first) } != 0 {
        return Vec::new();
    }
    let mut addresses = Vec::new();
    let mut cursor = first;
    while !cursor.is_null() {
        // SAFETY: `cursor` is an entry of the list getifaddrs returned, not yet freed.
        let entry = unsafe { &*cursor };
        if !entry.ifa_addr.is_null() {
            // SAFETY: `ifa_addr` points at a socket address whose family says its real type.
            let address = unsafe {
                match i32::from((*entry.ifa_addr).sa_family) {
                    libc::AF_INET => {
                        let v4 = &*entry.ifa_addr.cast::<libc::sockaddr_in>();
                        Some(IpAddr::V4(Ipv4Addr::from(u32::from_be(v4.sin_addr.s_addr))))
                    }
                    libc::AF_INET6 => {
                        let v6 = &*entry.ifa_addr.cast::<libc::sockaddr_in6>();
                        Some(IpAddr::V6(Ipv6Addr::from(v6.sin6_addr.s6_addr)))
                    }
                    _ => None,
                }
            };
            addresses.extend(address);
        }
        cursor = entry.ifa_next;
    }
    // SAFETY: `first` came from getifaddrs and is freed once.
    unsafe { libc::freeifaddrs(first) };
    addresses
}

#[cfg(not(unix))]
pub(crate) fn interface_addresses() -> Vec<IpAddr> {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn office() -> Vec<IpAddr> {
        vec![
            "127.0.0.1".parse().unwrap(),
            "192.168.10.25".parse().unwrap(),
            "fd00::25".parse().unwrap(),
        ]
    }

    #[test]
    fn loopback_server_answers_only_its_own_names() {
        let hosts = AllowedHosts::new("127.0.0.1:1111".parse().unwrap(), &[]);
        for host in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST.:1111",
            "[::1]:1111",
        ] {
            assert!(hosts.allows_with(host, office), "{host}");
        }
        for host in [
            "evil.example:1111",
            "127.0.0.1:2222",
            "127.0.0.1",
            "192.168.10.25:1111",
            "localhost.evil.example:1111",
            "",
            "[::1",
        ] {
            assert!(!hosts.allows_with(host, office), "{host}");
        }
    }

    #[test]
    fn lan_server_answers_its_interface_addresses_and_allowed_names() {
        let hosts = AllowedHosts::new(
            "0.0.0.0:1111".parse().unwrap(),
            &["Preview.Office.Lan".to_owned()],
        );
        for host in [
            "192.168.10.25:1111",
            "[fd00::25]:1111",
            "127.0.0.1:1111",
            "preview.office.lan:1111",
        ] {
            assert!(hosts.allows_with(host, office), "{host}");
        }
        for host in [
            "192.168.10.26:1111",
            "192.168.10.25:1112",
            "rebind.evil.example:1111",
            "office.lan:1111",
        ] {
            assert!(!hosts.allows_with(host, office), "{host}");
        }
    }

    #[test]
    fn lan_server_knows_the_machine_name() {
        let Some(name) = host_name() else { return };
        let hosts = AllowedHosts::new("0.0.0.0:8080".parse().unwrap(), &[]);
        assert!(hosts.allows_with(&format!("{name}:8080"), Vec::new));
        assert!(hosts.allows_with(&format!("{name}.local:8080"), Vec::new));
        let loopback = AllowedHosts::new("127.0.0.1:8080".parse().unwrap(), &[]);
        assert!(
            name == "localhost" || !loopback.allows_with(&format!("{name}:8080"), Vec::new),
            "the machine name is for LAN mode only"
        );
    }

    #[test]
    fn port_80_may_be_left_out() {
        let hosts = AllowedHosts::new("127.0.0.1:80".parse().unwrap(), &[]);
        assert!(hosts.allows_with("localhost", Vec::new));
        assert!(hosts.allows_origin("http://localhost"));
    }

    #[test]
    fn foreign_origins_are_refused() {
        let hosts = AllowedHosts::new("127.0.0.1:1111".parse().unwrap(), &[]);
        assert!(hosts.allows_origin("http://127.0.0.1:1111"));
        assert!(!hosts.allows_origin("http://evil.example"));
        assert!(!hosts.allows_origin("https://127.0.0.1:1111"));
        assert!(!hosts.allows_origin("null"));
    }

    #[test]
    fn this_machine_has_a_loopback_interface() {
        if cfg!(unix) {
            assert!(interface_addresses().iter().any(IpAddr::is_loopback));
        }
    }
}
