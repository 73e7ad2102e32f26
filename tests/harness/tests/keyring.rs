//! The private keyring session: the Secret Service answers on its own bus,
//! unlocked, and two sessions do not see each other.

use baosong_test_harness::KeyringSession;

fn get_property(s: &KeyringSession, path: &str, interface: &str, name: &str) -> String {
    let out = s.dbus_send(&[
        "--dest=org.freedesktop.secrets",
        path,
        "org.freedesktop.DBus.Properties.Get",
        &format!("string:{interface}"),
        &format!("string:{name}"),
    ]);
    assert!(
        out.status.success(),
        "Get {interface}.{name} on {path} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_secret_service_answers_unlocked_on_a_private_bus() {
    let s = KeyringSession::start();
    let env = s.envs();
    let var = |k: &str| {
        env.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    assert!(var("DBUS_SESSION_BUS_ADDRESS").contains(&s.dir().display().to_string()));
    for k in [
        "HOME",
        "XDG_DATA_HOME",
        "XDG_RUNTIME_DIR",
        "XDG_CONFIG_HOME",
    ] {
        assert!(var(k).starts_with(&s.dir().display().to_string()), "{k}");
    }
    if let Ok(real) = std::env::var("DBUS_SESSION_BUS_ADDRESS") {
        assert_ne!(real, s.bus_address());
    }

    let collections = get_property(
        &s,
        "/org/freedesktop/secrets",
        "org.freedesktop.Secret.Service",
        "Collections",
    );
    assert!(
        collections.contains("/org/freedesktop/secrets/collection/login"),
        "{collections}"
    );

    // The default collection (where secrets are stored) is the unlocked login keyring.
    let alias = s.dbus_send(&[
        "--dest=org.freedesktop.secrets",
        "/org/freedesktop/secrets",
        "org.freedesktop.Secret.Service.ReadAlias",
        "string:default",
    ]);
    assert!(
        String::from_utf8_lossy(&alias.stdout)
            .contains("/org/freedesktop/secrets/collection/login"),
        "{alias:?}"
    );
    let locked = get_property(
        &s,
        "/org/freedesktop/secrets/collection/login",
        "org.freedesktop.Secret.Collection",
        "Locked",
    );
    assert!(locked.contains("boolean false"), "{locked}");
    assert!(s.dir().join("data/keyrings").is_dir());
}

#[test]
fn two_sessions_run_side_by_side_and_clean_up() {
    let a = KeyringSession::start();
    let b = KeyringSession::start();
    assert_ne!(a.bus_address(), b.bus_address());
    for s in [&a, &b] {
        let out = get_property(
            s,
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service",
            "Collections",
        );
        assert!(out.contains("collection/login"), "{out}");
    }
    let dir = a.dir().to_path_buf();
    let address = a.bus_address().to_string();
    drop(a);
    assert!(!dir.exists(), "the temporary directory is removed");
    // b still works once a is gone.
    assert!(
        get_property(
            &b,
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service",
            "Collections"
        )
        .contains("collection/login")
    );
    // a's bus is gone.
    let out = std::process::Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.ListNames",
        ])
        .env("DBUS_SESSION_BUS_ADDRESS", address)
        .output()
        .unwrap();
    assert!(!out.status.success());
}
