//! Files on the ring: write then read back, positional I/O, metadata,
//! set_len, sync, and the path helpers (create_dir, rename, remove).

use std::io::ErrorKind;
use std::path::PathBuf;

use ringio_runtime::fs::{self, File, OpenOptions};
use ringio_runtime::run;

/// A fresh directory for one test, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("ringio-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn write_then_read_whole_file() {
    let dir = TempDir::new("fs-whole");
    let path = dir.0.join("data");
    run(async {
        let data: Vec<u8> = (0..300_000u32).map(|i| (i % 253) as u8).collect();
        fs::write(&path, data.clone()).await.unwrap();
        assert_eq!(fs::read(&path).await.unwrap(), data);
        assert_eq!(std::fs::read(&path).unwrap(), data);
        fs::write(&path, &b""[..]).await.unwrap();
        assert!(fs::read(&path).await.unwrap().is_empty());
    })
    .unwrap();
}

#[test]
fn positional_reads_and_writes() {
    let dir = TempDir::new("fs-pos");
    let path = dir.0.join("f");
    run(async {
        let f = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .open(&path)
            .await
            .unwrap();
        let (res, _) = f.write_all_at(&b"0123456789"[..], 0).await;
        res.unwrap();
        let (res, _) = f.write_at(b"AB".to_vec(), 4).await;
        assert_eq!(res.unwrap(), 2);
        let (res, buf) = f.read_exact_at(vec![0u8; 6], 2).await;
        res.unwrap();
        assert_eq!(buf, b"23AB67");
        let (res, buf) = f.read_at(Vec::with_capacity(100), 8).await;
        assert_eq!(res.unwrap(), 2);
        assert_eq!(buf, b"89");
        let (res, buf) = f.read_at(vec![0u8; 4], 10).await;
        assert_eq!(res.unwrap(), 0, "end of file");
        drop(buf);
        let (res, buf) = f.read_exact_at(vec![0u8; 8], 6).await;
        assert_eq!(res.unwrap_err().kind(), ErrorKind::UnexpectedEof);
        assert_eq!(&buf[..4], b"6789");
        f.sync_data().await.unwrap();
        f.sync_all().await.unwrap();
    })
    .unwrap();
}

#[test]
fn metadata_and_set_len() {
    let dir = TempDir::new("fs-meta");
    let path = dir.0.join("f");
    run(async {
        let f = File::create(&path).await.unwrap();
        let (res, _) = f.write_all_at(vec![1u8; 1000], 0).await;
        res.unwrap();
        let m = f.metadata().await.unwrap();
        assert_eq!(m.len(), 1000);
        assert!(m.is_file() && !m.is_dir());
        assert!(m.modified().is_ok());
        f.set_len(10).await.unwrap();
        assert_eq!(f.metadata().await.unwrap().len(), 10);
        f.set_len(5000).await.unwrap();
        assert_eq!(fs::metadata(&path).await.unwrap().len(), 5000);
        let d = fs::metadata(&dir.0).await.unwrap();
        assert!(d.is_dir());
    })
    .unwrap();
}

#[test]
fn directories_rename_and_remove() {
    let dir = TempDir::new("fs-paths");
    run(async {
        let sub = dir.0.join("sub");
        fs::create_dir(&sub).await.unwrap();
        let err = fs::create_dir(&sub).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::AlreadyExists);
        fs::write(sub.join("a"), &b"x"[..]).await.unwrap();
        fs::rename(sub.join("a"), sub.join("b")).await.unwrap();
        assert_eq!(fs::read(sub.join("b")).await.unwrap(), b"x");
        let err = fs::read(sub.join("a")).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound);
        let err = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(sub.join("b"))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::AlreadyExists);
        fs::remove_file(sub.join("b")).await.unwrap();
        fs::remove_dir(&sub).await.unwrap();
        assert!(!sub.exists());
        let err = OpenOptions::new().open(dir.0.join("x")).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
    })
    .unwrap();
}
