//! A line chat server: each client first sends its name, then every line
//! it sends is broadcast to the others; joins and departures are announced.
//! A client that cannot keep up (more than the high-water mark queued) is
//! disconnected rather than slowing the room down.
//!
//! `cargo run --example chat_server serve [ADDR]` serves (default
//! 127.0.0.1:8889; try `nc 127.0.0.1 8889` from a few terminals). With no
//! arguments it runs a scripted demo: the server on a free loopback port
//! and three clients in the same loop, printing what each one receives:
//!
//! ```text
//! alice got: * welcome, alice (1 online)
//! bob got: * welcome, bob (2 online)
//! alice got: * bob joined
//! bob got: alice: hi bob
//! alice got: bob: hello alice
//! carol got: * welcome, carol (3 online)
//! alice got: * carol joined
//! bob got: * carol joined
//! alice got: carol: hi all
//! bob got: carol: hi all
//! alice got: * bob left
//! carol got: * bob left
//! chat over: 0 connections open
//! ```

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use ringio::streams::{
    open_connection, start_server, ReadError, StreamReader, StreamWriter, DEFAULT_HIGH_WATER,
};

type Error = Box<dyn std::error::Error>;

/// Who is in the room: connection id -> (name, writer).
#[derive(Default)]
struct Room {
    next_id: u64,
    members: BTreeMap<u64, (String, StreamWriter)>,
}

impl Room {
    /// Sends `line` to everyone but `from`; drops members that lag behind.
    fn broadcast(&mut self, from: u64, line: &str) {
        let msg = bytes_line(line);
        let mut gone = Vec::new();
        for (id, (_, w)) in &self.members {
            if *id == from {
                continue;
            }
            if w.write(msg.clone()).is_err() || w.buffer_size() > DEFAULT_HIGH_WATER {
                gone.push(*id);
            }
        }
        for id in gone {
            if let Some((_, w)) = self.members.remove(&id) {
                w.close();
            }
        }
    }
}

fn bytes_line(line: &str) -> ringio::streams::bytes::Bytes {
    format!("{line}\n").into()
}

fn text(line: &[u8]) -> String {
    String::from_utf8_lossy(line).trim_end().to_owned()
}

async fn client(
    room: Rc<RefCell<Room>>,
    mut reader: StreamReader,
    writer: StreamWriter,
) -> Result<(), Error> {
    let name = text(&reader.readline().await?);
    if name.is_empty() {
        return Ok(());
    }
    let id = {
        let mut room = room.borrow_mut();
        let id = room.next_id;
        room.next_id += 1;
        room.members.insert(id, (name.clone(), writer.clone()));
        let online = room.members.len();
        writer.write(bytes_line(&format!("* welcome, {name} ({online} online)")))?;
        room.broadcast(id, &format!("* {name} joined"));
        id
    };
    let result = async {
        loop {
            let line = reader.readline().await?;
            if line.is_empty() {
                return Ok::<(), ReadError>(());
            }
            room.borrow_mut()
                .broadcast(id, &format!("{name}: {}", text(&line)));
        }
    }
    .await;
    let mut room = room.borrow_mut();
    room.members.remove(&id);
    room.broadcast(id, &format!("* {name} left"));
    writer.close();
    Ok(result?)
}

async fn serve_room(addr: &str) -> Result<ringio::streams::Server, Error> {
    let room = Rc::new(RefCell::new(Room::default()));
    let server = start_server(move |r, w| client(room.clone(), r, w), addr).await?;
    Ok(server)
}

/// One scripted participant.
struct Member {
    name: &'static str,
    reader: StreamReader,
    writer: StreamWriter,
}

impl Member {
    async fn join(name: &'static str, addr: std::net::SocketAddr) -> Result<Member, Error> {
        let (reader, writer) = open_connection(addr).await?;
        writer.write(format!("{name}\n"))?;
        let mut m = Member {
            name,
            reader,
            writer,
        };
        m.expect().await?;
        Ok(m)
    }

    fn say(&self, line: &str) -> Result<(), Error> {
        Ok(self.writer.write(format!("{line}\n"))?)
    }

    /// Prints the next line this member receives.
    async fn expect(&mut self) -> Result<(), Error> {
        let line = self.reader.readline().await?;
        println!("{} got: {}", self.name, text(&line));
        Ok(())
    }
}

async fn demo() -> Result<(), Error> {
    let server = serve_room("127.0.0.1:0").await?;
    let addr = server.local_addr()?;

    let mut alice = Member::join("alice", addr).await?;
    let mut bob = Member::join("bob", addr).await?;
    alice.expect().await?;
    alice.say("hi bob")?;
    bob.expect().await?;
    bob.say("hello alice")?;
    alice.expect().await?;

    let mut carol = Member::join("carol", addr).await?;
    alice.expect().await?;
    bob.expect().await?;
    carol.say("hi all")?;
    alice.expect().await?;
    bob.expect().await?;

    bob.writer.close();
    drop(bob);
    alice.expect().await?;
    carol.expect().await?;

    drop(alice);
    drop(carol);
    server.close();
    server.wait_closed().await;
    println!(
        "chat over: {} connections open",
        server.active_connections()
    );
    Ok(())
}

#[ringio::main]
async fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("serve") => {
            let addr = args.get(1).map_or("127.0.0.1:8889", String::as_str);
            let server = serve_room(addr).await?;
            println!("chat server on {}", server.local_addr()?);
            server.serve_forever().await;
            Ok(())
        }
        Some(other) => {
            Err(format!("unknown argument {other:?}; use `serve [ADDR]` or nothing").into())
        }
        None => demo().await,
    }
}
