//! Helpers of the TLS tests: certificates made at run time (rcgen), the
//! rustls configs that trust them, and a loop that records what it reports
//! as unhandled (where a TLS server reports failed handshakes).
#![allow(dead_code)]

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ringio::streams::tls::rustls::{
    self,
    pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer},
    ClientConfig, RootCertStore, ServerConfig,
};

/// A self-signed certificate for `names`, with its key.
pub struct Cert {
    pub der: CertificateDer<'static>,
    pub key: PrivateKeyDer<'static>,
}

pub fn cert(names: &[&str]) -> Cert {
    let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    let made = rcgen::generate_simple_self_signed(names).expect("a certificate");
    Cert {
        der: made.cert.der().clone(),
        key: PrivatePkcs8KeyDer::from(made.key_pair.serialize_der()).into(),
    }
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A server config presenting `cert`, with `versions` and `alpn`.
pub fn server_config_with(
    cert: &Cert,
    versions: &[&'static rustls::SupportedProtocolVersion],
    alpn: &[&[u8]],
) -> Arc<ServerConfig> {
    let mut config = ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(versions)
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert.der.clone()], cert.key.clone_key())
        .expect("a server config");
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    Arc::new(config)
}

pub fn server_config(cert: &Cert) -> Arc<ServerConfig> {
    server_config_with(cert, rustls::ALL_VERSIONS, &[])
}

/// A client config trusting `trusted` (nothing when empty), with
/// `versions` and `alpn`.
pub fn client_config_with(
    trusted: &[&Cert],
    versions: &[&'static rustls::SupportedProtocolVersion],
    alpn: &[&[u8]],
) -> Arc<ClientConfig> {
    let mut roots = RootCertStore::empty();
    for c in trusted {
        roots.add(c.der.clone()).expect("a root");
    }
    let mut config = ClientConfig::builder_with_provider(provider())
        .with_protocol_versions(versions)
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    Arc::new(config)
}

pub fn client_config(trusted: &Cert) -> Arc<ClientConfig> {
    client_config_with(&[trusted], rustls::ALL_VERSIONS, &[])
}

/// Connects over TLS to `server`, trusting `cert`, as "localhost".
pub async fn connect(
    server: &ringio::streams::Server,
    cert: &Cert,
) -> (ringio::streams::StreamReader, ringio::streams::StreamWriter) {
    let tls = ringio::streams::ClientTls::new(client_config(cert), "localhost").unwrap();
    ringio::streams::open_tls_connection(server.local_addr().unwrap(), tls)
        .await
        .unwrap()
}

/// What the loop reported as unhandled (failed handshakes of a server).
#[derive(Clone, Default)]
pub struct Reports(Arc<Mutex<Vec<String>>>);

impl Reports {
    pub fn all(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }

    /// Waits (up to 10 s) for a report, and returns the first.
    pub async fn first(&self) -> String {
        for _ in 0..1000 {
            if let Some(r) = self.all().first() {
                return r.clone();
            }
            ringio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("nothing was reported within 10 s");
    }
}

/// Runs `fut` on a fresh loop whose unhandled reports go to `reports`,
/// failing the test if it takes over 20 s.
pub fn run<F: Future>(reports: &Reports, fut: F) -> F::Output {
    let sink = reports.0.clone();
    let rt = ringio::Builder::new()
        .on_unhandled_error(move |e| sink.lock().unwrap().push(e.to_string()))
        .build()
        .expect("a ringio loop");
    rt.block_on(async {
        ringio::time::timeout(Duration::from_secs(20), fut)
            .await
            .expect("the test took over 20 s: something hangs")
    })
    .expect("a ringio loop")
}
