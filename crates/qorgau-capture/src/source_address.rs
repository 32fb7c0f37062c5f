//! From which address a page was fetched, for the protocol of inspection.
//!
//! A protocol must say from which network address the investigator reached
//! the resource (the server's logs, if the case ever needs them, show that
//! address). Neither Chromium nor reqwest reports the local end of a
//! connection, so the address is asked of the operating system the way
//! `ip route get` does: a UDP socket "connected" to the server (no packet
//! is sent) is bound to the interface address the kernel routes through.
//! Behind NAT the public address differs; the operator can state it
//! (`--public-address`).

use std::net::{IpAddr, SocketAddr, UdpSocket};

/// The local interface address the machine uses to reach `server_ip`, or
/// `None` when the server's address is unknown or not routable.
pub fn local_address_towards(server_ip: &str) -> Option<String> {
    let ip: IpAddr = server_ip.trim_matches(['[', ']']).parse().ok()?;
    let bind: SocketAddr = if ip.is_ipv4() {
        "0.0.0.0:0".parse().ok()?
    } else {
        "[::]:0".parse().ok()?
    };
    let socket = UdpSocket::bind(bind).ok()?;
    // Port 9 (discard); connect() on UDP only picks the route.
    socket.connect(SocketAddr::new(ip, 9)).ok()?;
    Some(socket.local_addr().ok()?.ip().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_is_reached_from_loopback() {
        assert_eq!(
            local_address_towards("127.0.0.1").as_deref(),
            Some("127.0.0.1")
        );
    }

    #[test]
    fn an_unknown_address_gives_none() {
        assert_eq!(local_address_towards("not an ip"), None);
        assert_eq!(local_address_towards(""), None);
    }
}
