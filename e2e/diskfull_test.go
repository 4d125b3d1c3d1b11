package e2e

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/innograph/innograph/auth"
	"github.com/innograph/innograph/store/embedded"
)

// bigWrite is the mutation of one enterprise with a large English name,
// so that a few writes fill a few megabytes.
const bigWrite = `mutation($in: [NodeInput!]!) { upsertNodes(nodes: $in) { counts { nodesCreated } } }`

// bigNameBytes is the size of the English name of a big write.
const bigNameBytes = 800 << 10

// bigNode returns the variables of the i-th big write, its id and its
// English name.
func bigNode(i int) (vars map[string]any, id, nameEn string) {
	id = fmt.Sprintf("big-%03d", i)
	nameEn = fmt.Sprintf("%s ", id) + strings.Repeat(string(rune('a'+i%26)), bigNameBytes)
	return map[string]any{"in": []any{map[string]any{"id": id, "kind": "ENTERPRISE", "properties": map[string]any{"name": "大数据测试企业 " + id, "nameEn": nameEn}}}}, id, nameEn
}

// diskLimit makes the data directory's file system or the server's
// writes run out of room, and gives the room back.
type diskLimit struct {
	name string
	// want is the text of the operating system's error in the message
	// of the refused write.
	want string
	// prepare returns the data directory to use (and may skip t).
	prepare func(t *testing.T) string
	// fill leaves little room for s's writes in dataDir.
	fill func(t *testing.T, s *server, dataDir string)
	// free gives the room back.
	free func(t *testing.T, s *server, dataDir string)
}

// smallFileSystem mounts a 16 MiB tmpfs, which only root (with
// CAP_SYS_ADMIN) may do; the test is skipped otherwise, loudly. Filling
// it is a ballast file that leaves 3 MiB free: a full disk, ENOSPC.
func smallFileSystem() diskLimit {
	const ballast = "ballast"
	return diskLimit{
		name: "full file system (ENOSPC)",
		want: "no space left on device",
		prepare: func(t *testing.T) string {
			dir := t.TempDir()
			if os.Geteuid() != 0 {
				t.Skip("!!! SKIPPED: mounting a small file system needs root (the test runs as uid " + fmt.Sprint(os.Geteuid()) + "); the file size limit case still runs")
			}
			if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=16m,mode=0700"); err != nil {
				msg := fmt.Sprintf("!!! SKIPPED: mounting a 16 MiB tmpfs on %s: %v; the file size limit case still runs", dir, err)
				if isCI() && !errors.Is(err, syscall.EPERM) {
					t.Fatal(msg + " CI=true: running as root, the mount should work.")
				}
				t.Skip(msg)
			}
			t.Cleanup(func() {
				if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
					t.Errorf("unmounting %s: %v", dir, err)
				}
			})
			return filepath.Join(dir, "data")
		},
		fill: func(t *testing.T, s *server, dataDir string) {
			var st unix.Statfs_t
			if err := unix.Statfs(dataDir, &st); err != nil {
				t.Fatal(err)
			}
			free := int64(st.Bavail) * st.Bsize
			size := free - 3<<20
			if size <= 0 {
				t.Fatalf("only %d bytes free on the data directory's file system after seeding", free)
			}
			if err := os.WriteFile(filepath.Join(filepath.Dir(dataDir), ballast), make([]byte, size), 0o600); err != nil {
				t.Fatalf("writing the ballast: %v", err)
			}
			t.Logf("%d MiB free on the file system, %d MiB of ballast written", free>>20, size>>20)
		},
		free: func(t *testing.T, s *server, dataDir string) {
			if err := os.Remove(filepath.Join(filepath.Dir(dataDir), ballast)); err != nil {
				t.Fatal(err)
			}
		},
	}
}

// fileSizeLimit lowers the running server's soft RLIMIT_FSIZE to the
// size its database file has: a write that must grow the file fails with
// EFBIG (the Go runtime ignores the SIGXFSZ that comes with it). Any user
// may lower and raise a soft limit of their own process, so this case
// always runs.
func fileSizeLimit() diskLimit {
	var old unix.Rlimit
	return diskLimit{
		name:    "file size limit (EFBIG)",
		want:    "file too large",
		prepare: func(t *testing.T) string { return t.TempDir() },
		fill: func(t *testing.T, s *server, dataDir string) {
			fi, err := os.Stat(filepath.Join(dataDir, embedded.FileName))
			if err != nil {
				t.Fatal(err)
			}
			if err := unix.Prlimit(s.cmd.Process.Pid, unix.RLIMIT_FSIZE, nil, &old); err != nil {
				t.Fatal(err)
			}
			lim := unix.Rlimit{Cur: uint64(fi.Size()), Max: old.Max}
			if err := unix.Prlimit(s.cmd.Process.Pid, unix.RLIMIT_FSIZE, &lim, nil); err != nil {
				t.Fatalf("prlimit(RLIMIT_FSIZE, %d): %v", fi.Size(), err)
			}
			t.Logf("RLIMIT_FSIZE of the server set to %d MiB, the size of %s", fi.Size()>>20, embedded.FileName)
		},
		free: func(t *testing.T, s *server, dataDir string) {
			if err := unix.Prlimit(s.cmd.Process.Pid, unix.RLIMIT_FSIZE, &old, nil); err != nil {
				t.Fatal(err)
			}
		},
	}
}

// TestDiskFull runs the embedded store out of room, on a full file system
// and at a file size limit: the write that does not fit is refused with
// STORE_UNAVAILABLE and a message that names the file and the
// operating system's error, changes nothing, and leaves the server
// serving reads; once there is room again the same write succeeds, and
// after a restart the store holds every acknowledged write and nothing
// else.
func TestDiskFull(t *testing.T) {
	bin := buildBinary(t)
	for _, lim := range []diskLimit{smallFileSystem(), fileSizeLimit()} {
		t.Run(lim.name, func(t *testing.T) {
			dataDir := lim.prepare(t)
			editor, editorLine := newKey(t, "disk-writer", auth.Editor)
			client := loadClient()
			flags := []string{"--api-keys", editorLine, "--log-level", "warn"}
			s := startServer(t, bin, dataDir, flags...)
			base := countsOf(t, client, s.baseURL)
			lim.fill(t, s, dataDir)

			// Big writes until one is refused.
			acked := map[string]string{}
			var refused outcome
			var refusedID string
			for i := 0; ; i++ {
				if i == 60 {
					t.Fatalf("%d big writes (%d MiB) were all acknowledged", i, i*bigNameBytes>>20)
				}
				vars, id, nameEn := bigNode(i)
				o := send(client, s.baseURL, editor, queryBody(bigWrite, vars), "big write")
				if o.ok {
					acked[id] = nameEn
					continue
				}
				refused, refusedID = o, id
				break
			}
			msg := strings.Join(refused.messages, "; ")
			t.Logf("after %d big writes, the next was refused: HTTP %d, codes %v: %s", len(acked), refused.status, refused.codes, msg)
			if refused.err != nil || !allCodes(refused.codes, "STORE_UNAVAILABLE") || !strings.Contains(msg, lim.want) || !strings.Contains(msg, embedded.FileName) {
				t.Errorf("the refused write: HTTP %d, codes %v, err %v, message %q; want STORE_UNAVAILABLE naming %s and %q", refused.status, refused.codes, refused.err, msg, embedded.FileName, lim.want)
			}

			// Reads go on, and the refused write left nothing.
			if o := send(client, s.baseURL, "", queryBody(faultQueries("ent-0001")[1], nil), "read"); !o.ok {
				t.Errorf("a read with the disk full: codes %v %v, err %v", o.codes, o.messages, o.err)
			}
			if got, want := countsOf(t, client, s.baseURL), (storeCounts{base.Nodes + len(acked), base.Relations}); got != want {
				t.Errorf("with the disk full the store counts %+v, want %+v", got, want)
			}
			if n := readBack(t, client, s.baseURL, []string{refusedID}); len(n) != 0 {
				t.Errorf("the refused write %s is stored", refusedID)
			}

			// With room again, the same write succeeds.
			lim.free(t, s, dataDir)
			vars, id, nameEn := bigNode(len(acked))
			if id != refusedID {
				t.Fatalf("retrying %s, want %s", id, refusedID)
			}
			if o := send(client, s.baseURL, editor, queryBody(bigWrite, vars), "big write"); !o.ok {
				t.Fatalf("the refused write again, with room: codes %v %v, err %v\n%s", o.codes, o.messages, o.err, s.describe())
			}
			acked[id] = nameEn
			s.stop(stopTimeout)

			// After a restart: every acknowledged write, and nothing else.
			s = startServer(t, bin, dataDir, append(flags, "--no-seed")...)
			if got, want := countsOf(t, client, s.baseURL), (storeCounts{base.Nodes + len(acked), base.Relations}); got != want {
				t.Errorf("after the restart the store counts %+v, want %+v", got, want)
			}
			for id, nameEn := range acked {
				o := send(client, s.baseURL, "", queryBody(`query($id: ID!) { node(id: $id) { nameEn } }`, map[string]any{"id": id}), "read big")
				var d struct{ Node *struct{ NameEn string } }
				if !o.ok || json.Unmarshal(o.data, &d) != nil || d.Node == nil || d.Node.NameEn != nameEn {
					t.Errorf("acknowledged write %s after the restart: codes %v, err %v, stored whole %v", id, o.codes, o.err, d.Node != nil && d.Node.NameEn == nameEn)
				}
			}
			t.Logf("%d big writes acknowledged, all stored whole after the restart", len(acked))
			if strings.Contains(s.output(), "panic") {
				t.Errorf("the server logged a panic\n%s", s.describe())
			}
			s.stop(stopTimeout)
		})
	}
}
