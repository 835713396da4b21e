//! The client's address, for the per-address limit on verification codes.
//!
//! By default it is the peer of the TCP connection, which `main` passes to
//! axum as `ConnectInfo`. Behind a reverse proxy every peer is the proxy, so
//! the proxy must pass the client's address in a header it sets itself
//! (nginx: `proxy_set_header X-Real-IP $remote_addr;`) and the collector must
//! be told its name with `--client-address-header X-Real-IP`. Headers are
//! never trusted without that flag: anyone can send `X-Forwarded-For`. With
//! the flag, the collector must be reachable only through the proxy.
//!
//! A request with no address at all (a test calling the router directly) is
//! limited per phone only.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderName;
use axum::http::request::Parts;

use crate::state::AppState;

/// The client's address, if known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub Option<IpAddr>);

impl FromRequestParts<Arc<AppState>> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &Arc<AppState>) -> Result<Self, Self::Rejection> {
        Ok(Self(address_of(parts, state.client_address_header.as_ref())))
    }
}

/// The address in `header` if one is configured and the request has it;
/// else the connection's peer. Of a comma-separated list the last entry is
/// taken, the one the nearest proxy added.
pub fn address_of(parts: &Parts, header: Option<&HeaderName>) -> Option<IpAddr> {
    let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
    let from_header = header
        .and_then(|name| parts.headers.get_all(name).iter().next_back())
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.rsplit(',').next())
        .and_then(|entry| {
            let entry = entry.trim();
            entry.parse::<IpAddr>().ok().or_else(|| entry.parse::<SocketAddr>().ok().map(|a| a.ip()))
        });
    from_header.or(peer)
}

impl ClientAddress {
    /// What the limit is kept under: an IPv4 address, or the /64 an IPv6
    /// address is in (one household or host usually has a whole /64).
    pub fn bucket(self) -> Option<String> {
        self.0.map(|ip| match ip {
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => v4.to_string(),
                None => {
                    let s = v6.segments();
                    format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
                }
            },
            IpAddr::V4(v4) => v4.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(peer: Option<&str>, headers: &[(&str, &str)]) -> Parts {
        let mut request = axum::http::Request::builder();
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let (mut parts, ()) = request.body(()).unwrap().into_parts();
        if let Some(peer) = peer {
            parts.extensions.insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
        }
        parts
    }

    #[test]
    fn the_peer_is_the_client_unless_a_proxy_header_is_configured() {
        let forwarded = [("x-forwarded-for", "203.0.113.9"), ("x-real-ip", "198.51.100.7")];
        let parts = parts(Some("10.0.0.2:5555"), &forwarded);
        assert_eq!(address_of(&parts, None), Some("10.0.0.2".parse().unwrap()));
        let header = HeaderName::from_static("x-real-ip");
        assert_eq!(address_of(&parts, Some(&header)), Some("198.51.100.7".parse().unwrap()));
    }

    #[test]
    fn the_last_entry_of_a_list_wins_and_a_bad_header_falls_back_to_the_peer() {
        let header = HeaderName::from_static("x-forwarded-for");
        let listed = parts(Some("10.0.0.2:5555"), &[("x-forwarded-for", "1.2.3.4, 203.0.113.9:443")]);
        assert_eq!(address_of(&listed, Some(&header)), Some("203.0.113.9".parse().unwrap()));
        let junk = parts(Some("10.0.0.2:5555"), &[("x-forwarded-for", "unknown")]);
        assert_eq!(address_of(&junk, Some(&header)), Some("10.0.0.2".parse().unwrap()));
        assert_eq!(address_of(&parts(None, &[]), Some(&header)), None);
    }

    #[test]
    fn ipv6_addresses_share_a_limit_per_64() {
        let a = ClientAddress(Some("2001:db8:1:2:aaaa::1".parse().unwrap()));
        let b = ClientAddress(Some("2001:db8:1:2:bbbb::2".parse().unwrap()));
        assert_eq!(a.bucket(), b.bucket());
        let mapped = ClientAddress(Some("::ffff:203.0.113.9".parse().unwrap()));
        assert_eq!(mapped.bucket().as_deref(), Some("203.0.113.9"));
    }
}
