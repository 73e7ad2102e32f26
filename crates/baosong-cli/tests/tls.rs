//! TLS is always verified: a portal whose certificate comes from a private
//! CA (an intranet) is refused until that CA is given with `--ca-cert`.
//! Real certificates (made with openssl) and a real TLS server (Python's
//! ssl module) on loopback.

mod support;

use std::io::BufRead;
use std::process::{Command, Stdio};

use support::{Client, PASSWORD, stderr, text};

const SERVER: &str = r#"
import http.server, json, ssl, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        body = json.dumps({"type": "urn:baosong:problem:invalid_credentials",
            "title": "Invalid credentials", "status": 401, "detail": "用户名或密码不正确。",
            "detail_en": "Wrong username or password.", "code": "invalid_credentials"}).encode()
        self.send_response(401)
        self.send_header("content-type", "application/problem+json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print(srv.server_address[1], flush=True)
srv.serve_forever()
"#;

fn openssl(dir: &std::path::Path, args: &[&str]) {
    let o = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("openssl (packaging/install-deps.sh installs it)");
    assert!(
        o.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn a_private_ca_is_trusted_only_when_given() {
    let certs = tempfile::tempdir().unwrap();
    let d = certs.path();
    openssl(
        d,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=Baosong Test Intranet CA",
        ],
    );
    openssl(
        d,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "srv.key",
            "-out",
            "srv.csr",
            "-subj",
            "/CN=127.0.0.1",
        ],
    );
    std::fs::write(
        d.join("ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        d,
        &[
            "x509",
            "-req",
            "-in",
            "srv.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "srv.pem",
            "-days",
            "2",
            "-extfile",
            "ext",
        ],
    );
    std::fs::write(d.join("not-a-cert.pem"), "这不是证书").unwrap();

    let mut server = Command::new("python3")
        .args(["-c", SERVER])
        .arg(d.join("srv.pem"))
        .arg(d.join("srv.key"))
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3");
    let mut port = String::new();
    std::io::BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut port)
        .unwrap();
    let url = format!("https://127.0.0.1:{}", port.trim());
    let client = Client::new();
    let login = |extra: &[&str]| {
        let mut args = vec![
            "login",
            "--portal",
            &url,
            "--user",
            "jyj.xxy",
            "--password-stdin",
        ];
        args.extend_from_slice(extra);
        client.run(&args, Some(&format!("{PASSWORD}\n")))
    };

    // The system roots do not know the intranet CA: refused, clearly.
    let o = login(&[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(stderr(&o).contains("证书未通过验证"), "{}", text(&o));

    // A file that is not a certificate is named as such.
    let bad = d.join("not-a-cert.pem");
    let o = login(&["--ca-cert", bad.to_str().unwrap()]);
    assert!(stderr(&o).contains("不是 PEM 格式"), "{}", text(&o));

    // With the CA the connection is verified and the portal answers.
    let ca = d.join("ca.pem");
    let o = login(&["--ca-cert", ca.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(stderr(&o).contains("用户名或密码不正确"), "{}", text(&o));
    let _ = server.kill();
    let _ = server.wait();
}
