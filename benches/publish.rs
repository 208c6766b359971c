//! Publishing benchmarks against the reference My Storage server on loopback: gzip + encrypt +
//! upload of a 15 MiB JSVG (target under 2 s), the same without encryption, and one Argon2id
//! derivation (done once per session and storage).
#![allow(missing_docs)] // criterion_group! generates undocumented public functions

#[path = "../tests/mystorage_server/mod.rs"]
mod mystorage_server;

use criterion::{Criterion, criterion_group, criterion_main};
use mystorage_server::{Server, StorageSpec};
use synmap::generate::{PlanSpec, floor_plan};
use synmap::storage::Secret;
use synmap::storage::content::prepare;
use synmap::storage::crypto::{EncryptionInfo, KdfParams, MasterKey};
use synmap::storage::mystorage::MyStorage;
use synmap::storage::netlog::NetLog;
use synmap::storage::transport::{Transfer, Transport, TransportOptions};
use synmap::svg::jsvg::{JsvgHeader, export_jsvg};
use synmap::svg::{ExportOptions, import_bytes};

const TARGET: usize = 15 * 1024 * 1024;

/// A JSVG of a generated floor plan, grown until it is at least 15 MiB.
fn jsvg_15_mib() -> Vec<u8> {
    let mut areas = 30_000;
    loop {
        let svg = floor_plan(PlanSpec { areas, seed: 7 });
        let map = import_bytes(svg.as_bytes()).unwrap().map;
        let (jsvg, _) = export_jsvg(&map, &ExportOptions::default(), None, &JsvgHeader::new("bench"));
        let bytes = serde_json::to_vec(&jsvg).unwrap();
        if bytes.len() >= TARGET {
            println!("JSVG of a {areas}-area plan: {:.1} MiB", bytes.len() as f64 / 1048576.0);
            return bytes;
        }
        areas = areas * TARGET / bytes.len() + 500;
    }
}

fn client(server: &Server, quota: u64) -> MyStorage {
    let storage = uuid::Uuid::new_v4().to_string();
    server.add_storage(StorageSpec { quota_limit: quota, ..StorageSpec::new(&storage, "ek_bench") });
    let transport = Transport::new(TransportOptions::default(), NetLog::default());
    MyStorage::new(transport, &server.base_url(), &storage, Secret::new("ek_bench")).unwrap()
}

fn upload(c: &mut Criterion) {
    let jsvg = jsvg_15_mib();
    let server = Server::start();
    let mut g = c.benchmark_group("upload 15 MiB JSVG");
    g.sample_size(10);

    let plain = client(&server, u64::MAX / 2);
    g.bench_function("gzip + upload", |b| {
        b.iter(|| {
            let info = plain.info().unwrap();
            let content = prepare(&jsvg, &info, None, None).unwrap();
            plain.create("bench", &content, &Transfer::default()).unwrap()
        })
    });

    let encrypted = client(&server, u64::MAX / 2);
    let kdf = KdfParams::generate().unwrap();
    let key = MasterKey::derive("benchmark passphrase", &kdf).unwrap();
    encrypted.setup_encryption(&EncryptionInfo { kdf, key_check: key.key_check() }).unwrap();
    g.bench_function("gzip + encrypt + upload", |b| {
        b.iter(|| {
            let info = encrypted.info().unwrap();
            let content = prepare(&jsvg, &info, Some(&key), None).unwrap();
            encrypted.create("bench", &content, &Transfer::default()).unwrap()
        })
    });
    g.finish();
}

fn derive(c: &mut Criterion) {
    let kdf = KdfParams::generate().unwrap();
    let mut g = c.benchmark_group("argon2id");
    g.sample_size(10);
    g.bench_function("derive master key (64 MiB, t=3, p=1)", |b| {
        b.iter(|| MasterKey::derive("benchmark passphrase", &kdf).unwrap())
    });
    g.finish();
}

criterion_group!(benches, upload, derive);
criterion_main!(benches);
