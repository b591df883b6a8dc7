/*
 * The few syscalls berth needs that Node's fs/net cannot make, and for which no maintained npm
 * package exists as one small unit: mknod (overlay whiteouts are 0/0 character devices, FIFOs in
 * layers), l{set,get}xattr (overlay opaque dirs, file capabilities in layers), mount/umount2
 * (overlay rootfs), and a bridge from conmon's SOCK_SEQPACKET attach socket to a SOCK_STREAM
 * socket that libuv can read (libuv refuses SEQPACKET fds), and sockets created inside another
 * network namespace (the embedded DNS server's listeners) without moving the main thread, and new
 * network namespaces bound to a file (what `unshare --net=FILE` does, without two execs per
 * container on the start path).
 *
 * Every function throws a JS Error with .code = errno name and .syscall set, like Node's fs.
 */
#define _GNU_SOURCE
#include <node_api.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <seccomp.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "spawn.h"

#define PATH_BUF 4096

static const char *errno_name(int e) {
  switch (e) {
    case ENOENT: return "ENOENT"; case EEXIST: return "EEXIST"; case EPERM: return "EPERM";
    case EACCES: return "EACCES"; case EINVAL: return "EINVAL"; case ENOTDIR: return "ENOTDIR";
    case EBUSY: return "EBUSY"; case ENODATA: return "ENODATA"; case ENOTSUP: return "ENOTSUP";
    case ECONNREFUSED: return "ECONNREFUSED"; case ENAMETOOLONG: return "ENAMETOOLONG";
    case ENOSPC: return "ENOSPC"; case ERANGE: return "ERANGE"; case ELOOP: return "ELOOP";
    case EROFS: return "EROFS"; case ENODEV: return "ENODEV"; case EMFILE: return "EMFILE";
    case EADDRINUSE: return "EADDRINUSE"; case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
    case ENOEXEC: return "ENOEXEC"; case EAGAIN: return "EAGAIN"; case ENOMEM: return "ENOMEM";
    default: return "EUNKNOWN";
  }
}

/* Declared in spawn.h: spawn.c throws its errors the same way. */
napi_value throw_errno(napi_env env, const char *syscall, const char *path) {
  int e = errno;
  char msg[PATH_BUF + 128];
  snprintf(msg, sizeof msg, "%s: %s, %s '%s'", errno_name(e), strerror(e), syscall, path ? path : "");
  napi_value message, error, code, sc, num;
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &message);
  napi_create_error(env, NULL, message, &error);
  napi_create_string_utf8(env, errno_name(e), NAPI_AUTO_LENGTH, &code);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &sc);
  napi_create_int32(env, -e, &num);
  napi_set_named_property(env, error, "code", code);
  napi_set_named_property(env, error, "syscall", sc);
  napi_set_named_property(env, error, "errno", num);
  napi_throw(env, error);
  return NULL;
}

static int get_string(napi_env env, napi_value v, char *buf, size_t len) {
  size_t out = 0;
  if (napi_get_value_string_utf8(env, v, buf, len, &out) != napi_ok) return -1;
  if (out >= len - 1) return -1;
  return 0;
}

static napi_value undefined(napi_env env) { napi_value u; napi_get_undefined(env, &u); return u; }

/* mknod(path, mode, major, minor) — mode includes the file type bits (S_IFCHR, S_IFIFO, ...). */
static napi_value js_mknod(napi_env env, napi_callback_info info) {
  size_t argc = 4; napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char path[PATH_BUF]; uint32_t mode = 0, maj = 0, min = 0;
  if (argc < 4 || get_string(env, argv[0], path, sizeof path)) { napi_throw_type_error(env, NULL, "mknod(path, mode, major, minor)"); return NULL; }
  napi_get_value_uint32(env, argv[1], &mode); napi_get_value_uint32(env, argv[2], &maj); napi_get_value_uint32(env, argv[3], &min);
  if (mknod(path, mode, makedev(maj, min)) != 0) return throw_errno(env, "mknod", path);
  return undefined(env);
}

/* lsetxattr(path, name, value: Buffer) — never follows a final symlink. */
static napi_value js_lsetxattr(napi_env env, napi_callback_info info) {
  size_t argc = 3; napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char path[PATH_BUF], name[256]; void *data = NULL; size_t len = 0;
  if (argc < 3 || get_string(env, argv[0], path, sizeof path) || get_string(env, argv[1], name, sizeof name) ||
      napi_get_buffer_info(env, argv[2], &data, &len) != napi_ok) {
    napi_throw_type_error(env, NULL, "lsetxattr(path, name, buffer)"); return NULL;
  }
  if (lsetxattr(path, name, data, len, 0) != 0) return throw_errno(env, "lsetxattr", path);
  return undefined(env);
}

/* lgetxattr(path, name) → Buffer, or null when the attribute is absent. */
static napi_value js_lgetxattr(napi_env env, napi_callback_info info) {
  size_t argc = 2; napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char path[PATH_BUF], name[256];
  if (argc < 2 || get_string(env, argv[0], path, sizeof path) || get_string(env, argv[1], name, sizeof name)) {
    napi_throw_type_error(env, NULL, "lgetxattr(path, name)"); return NULL;
  }
  char buf[65536];
  ssize_t n = lgetxattr(path, name, buf, sizeof buf);
  if (n < 0) {
    if (errno == ENODATA) { napi_value nul; napi_get_null(env, &nul); return nul; }
    return throw_errno(env, "lgetxattr", path);
  }
  napi_value out; void *dst;
  napi_create_buffer_copy(env, (size_t)n, buf, &dst, &out);
  return out;
}

/* mount(source, target, fstype, flags, data) */
static napi_value js_mount(napi_env env, napi_callback_info info) {
  size_t argc = 5; napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char src[PATH_BUF], tgt[PATH_BUF], fstype[64]; uint32_t flags = 0;
  if (argc < 5 || get_string(env, argv[0], src, sizeof src) || get_string(env, argv[1], tgt, sizeof tgt) ||
      get_string(env, argv[2], fstype, sizeof fstype)) {
    napi_throw_type_error(env, NULL, "mount(source, target, fstype, flags, data)"); return NULL;
  }
  napi_get_value_uint32(env, argv[3], &flags);
  /* overlay option strings with many lowerdirs get long: the kernel accepts up to a page. */
  size_t dlen = 0; napi_get_value_string_utf8(env, argv[4], NULL, 0, &dlen);
  char *data = malloc(dlen + 1);
  if (!data) { napi_throw_error(env, NULL, "out of memory"); return NULL; }
  napi_get_value_string_utf8(env, argv[4], data, dlen + 1, &dlen);
  int rc = mount(src, tgt, fstype[0] ? fstype : NULL, flags, dlen ? data : NULL);
  free(data);
  if (rc != 0) return throw_errno(env, "mount", tgt);
  return undefined(env);
}

/* umount2(target, flags) */
static napi_value js_umount2(napi_env env, napi_callback_info info) {
  size_t argc = 2; napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char tgt[PATH_BUF]; uint32_t flags = 0;
  if (argc < 2 || get_string(env, argv[0], tgt, sizeof tgt)) { napi_throw_type_error(env, NULL, "umount2(target, flags)"); return NULL; }
  napi_get_value_uint32(env, argv[1], &flags);
  if (umount2(tgt, (int)flags) != 0) return throw_errno(env, "umount2", tgt);
  return undefined(env);
}

/*
 * Relay between a SOCK_SEQPACKET socket (conmon's attach socket) and one end of a SOCK_STREAM
 * socketpair, in a detached thread. Packets from conmon are re-framed as
 * [u8 stream][u32 BE length][payload] so the JS side keeps conmon's stream ids; bytes written
 * by JS are sent to conmon as-is (conmon treats attach input as raw stdin). A shutdown(SHUT_WR)
 * from JS is forwarded as shutdown on the seqpacket side (conmon then closes stdin when
 * stdin_once is set). The thread ends when both directions are done.
 */
struct relay { int sp; int st; };

static int write_all(int fd, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
    if (n < 0) { if (errno == EINTR) continue; return -1; }
    buf += n; len -= (size_t)n;
  }
  return 0;
}

static void *relay_main(void *arg) {
  struct relay r = *(struct relay *)arg;
  free(arg);
  char buf[65536 + 5];
  int sp_open = 1, st_open = 1;
  while (sp_open) {
    struct pollfd p[2] = { { r.sp, POLLIN, 0 }, { r.st, st_open ? POLLIN : 0, 0 } };
    if (poll(p, 2, -1) < 0) { if (errno == EINTR) continue; break; }
    if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = recv(r.sp, buf, sizeof buf, 0);
      if (n <= 0) { sp_open = 0; break; }
      uint32_t len = (uint32_t)(n - 1);
      char hdr[5] = { buf[0], (char)(len >> 24), (char)(len >> 16), (char)(len >> 8), (char)len };
      if (write_all(r.st, hdr, 5) || write_all(r.st, buf + 1, len)) break;
    }
    if (st_open && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) {
      ssize_t n = read(r.st, buf, 8192);
      if (n <= 0) { st_open = 0; shutdown(r.sp, SHUT_WR); continue; }
      if (send(r.sp, buf, (size_t)n, MSG_NOSIGNAL) < 0) { st_open = 0; }
    }
  }
  close(r.sp);
  shutdown(r.st, SHUT_RDWR);
  close(r.st);
  return NULL;
}

/* seqpacketBridge(path) → fd of a SOCK_STREAM socket relayed to the SEQPACKET socket at path. */
static napi_value js_seqpacket_bridge(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char path[PATH_BUF];
  if (argc < 1 || get_string(env, argv[0], path, sizeof path)) { napi_throw_type_error(env, NULL, "seqpacketBridge(path)"); return NULL; }
  struct sockaddr_un addr; memset(&addr, 0, sizeof addr); addr.sun_family = AF_UNIX;
  if (strlen(path) >= sizeof addr.sun_path) { errno = ENAMETOOLONG; return throw_errno(env, "connect", path); }
  strcpy(addr.sun_path, path);
  int sp = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  if (sp < 0) return throw_errno(env, "socket", path);
  if (connect(sp, (struct sockaddr *)&addr, sizeof addr) != 0) { int e = errno; close(sp); errno = e; return throw_errno(env, "connect", path); }
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) { int e = errno; close(sp); errno = e; return throw_errno(env, "socketpair", path); }
  struct relay *r = malloc(sizeof *r);
  if (!r) { close(sp); close(pair[0]); close(pair[1]); napi_throw_error(env, NULL, "out of memory"); return NULL; }
  r->sp = sp; r->st = pair[1];
  pthread_t t; pthread_attr_t attr; pthread_attr_init(&attr); pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  if (pthread_create(&t, &attr, relay_main, r) != 0) { close(sp); close(pair[0]); close(pair[1]); free(r); napi_throw_error(env, NULL, "pthread_create failed"); return NULL; }
  pthread_attr_destroy(&attr);
  napi_value out; napi_create_int32(env, pair[0], &out);
  return out;
}


/*
 * seccompCompile(text) → Buffer: the BPF program (struct sock_filter[]) libseccomp makes from an OCI
 * seccomp section, so crun can be handed it precompiled (annotation run.oci.seccomp_bpf_data) instead
 * of compiling Docker's ~400-rule profile on every container create (~20 ms each here).
 * The JS side flattens the OCI section to lines (no JSON parsing in C):
 *   D <action> <errno>                      default action
 *   A <arch>                                e.g. x86_64, x86, x32
 *   R <action> <errno> <name> <n> [<index> <op> <value> <valueTwo>]×n
 * errno -1 = EPERM. Rules follow runc/crun: conditions on distinct argument indexes form one rule
 * (AND); when an index repeats, each condition becomes its own rule. Unknown syscall names are
 * skipped, as crun does.
 */
static int scmp_action(const char *name, int err, uint32_t *out) {
  uint32_t e = err < 0 ? EPERM : (uint32_t)err;
  if (!strcmp(name, "SCMP_ACT_ALLOW")) *out = SCMP_ACT_ALLOW;
  else if (!strcmp(name, "SCMP_ACT_ERRNO")) *out = SCMP_ACT_ERRNO(e);
  else if (!strcmp(name, "SCMP_ACT_KILL") || !strcmp(name, "SCMP_ACT_KILL_THREAD")) *out = SCMP_ACT_KILL;
  else if (!strcmp(name, "SCMP_ACT_KILL_PROCESS")) *out = SCMP_ACT_KILL_PROCESS;
  else if (!strcmp(name, "SCMP_ACT_TRAP")) *out = SCMP_ACT_TRAP;
  else if (!strcmp(name, "SCMP_ACT_LOG")) *out = SCMP_ACT_LOG;
  else if (!strcmp(name, "SCMP_ACT_TRACE")) *out = SCMP_ACT_TRACE(e);
  else return -1;
  return 0;
}

static int scmp_op(const char *name, enum scmp_compare *out) {
  if (!strcmp(name, "SCMP_CMP_NE")) *out = SCMP_CMP_NE;
  else if (!strcmp(name, "SCMP_CMP_LT")) *out = SCMP_CMP_LT;
  else if (!strcmp(name, "SCMP_CMP_LE")) *out = SCMP_CMP_LE;
  else if (!strcmp(name, "SCMP_CMP_EQ")) *out = SCMP_CMP_EQ;
  else if (!strcmp(name, "SCMP_CMP_GE")) *out = SCMP_CMP_GE;
  else if (!strcmp(name, "SCMP_CMP_GT")) *out = SCMP_CMP_GT;
  else if (!strcmp(name, "SCMP_CMP_MASKED_EQ")) *out = SCMP_CMP_MASKED_EQ;
  else return -1;
  return 0;
}

static napi_value seccomp_fail(napi_env env, scmp_filter_ctx ctx, char *text, const char *what) {
  if (ctx) seccomp_release(ctx);
  free(text);
  napi_throw_error(env, NULL, what);
  return NULL;
}

static napi_value js_seccomp_compile(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  size_t len = 0;
  if (argc < 1 || napi_get_value_string_utf8(env, argv[0], NULL, 0, &len) != napi_ok) { napi_throw_type_error(env, NULL, "seccompCompile(text)"); return NULL; }
  char *text = malloc(len + 1);
  if (!text) { napi_throw_error(env, NULL, "out of memory"); return NULL; }
  napi_get_value_string_utf8(env, argv[0], text, len + 1, &len);
  scmp_filter_ctx ctx = NULL;
  char *save = NULL;
  for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    char action[64], name[128]; int err = -1, n = 0, used = 0;
    if (line[0] == 'D') {
      uint32_t act;
      if (sscanf(line, "D %63s %d", action, &err) != 2 || scmp_action(action, err, &act)) return seccomp_fail(env, ctx, text, "seccompCompile: bad default action");
      ctx = seccomp_init(act);
      if (!ctx) return seccomp_fail(env, ctx, text, "seccompCompile: seccomp_init failed");
    } else if (line[0] == 'A' && ctx) {
      if (sscanf(line, "A %127s", name) != 1) return seccomp_fail(env, ctx, text, "seccompCompile: bad arch line");
      uint32_t arch = seccomp_arch_resolve_name(name);
      if (arch == 0) return seccomp_fail(env, ctx, text, "seccompCompile: unknown architecture");
      int rc = seccomp_arch_add(ctx, arch);
      if (rc != 0 && rc != -EEXIST) return seccomp_fail(env, ctx, text, "seccompCompile: seccomp_arch_add failed");
    } else if (line[0] == 'R' && ctx) {
      if (sscanf(line, "R %63s %d %127s %d%n", action, &err, name, &n, &used) != 4 || n < 0 || n > 6) return seccomp_fail(env, ctx, text, "seccompCompile: bad rule line");
      uint32_t act;
      if (scmp_action(action, err, &act)) return seccomp_fail(env, ctx, text, "seccompCompile: bad rule action");
      int nr = seccomp_syscall_resolve_name(name);
      if (nr == __NR_SCMP_ERROR) continue;
      struct scmp_arg_cmp cmps[6];
      int seen[6] = {0}, repeated = 0;
      const char *p = line + used;
      for (int i = 0; i < n; i++) {
        unsigned int index; char op[32]; unsigned long long v1, v2; int m = 0;
        if (sscanf(p, " %u %31s %llu %llu%n", &index, op, &v1, &v2, &m) != 4 || index > 5) return seccomp_fail(env, ctx, text, "seccompCompile: bad argument condition");
        enum scmp_compare c;
        if (scmp_op(op, &c)) return seccomp_fail(env, ctx, text, "seccompCompile: bad comparison operator");
        if (seen[index]++) repeated = 1;
        cmps[i].arg = index; cmps[i].op = c; cmps[i].datum_a = v1; cmps[i].datum_b = v2;
        p += m;
      }
      int rc = 0;
      if (n == 0 || !repeated) rc = seccomp_rule_add_array(ctx, act, nr, (unsigned int)n, n ? cmps : NULL);
      else for (int i = 0; i < n && rc == 0; i++) rc = seccomp_rule_add_array(ctx, act, nr, 1, &cmps[i]);
      /* A rule whose action equals the default one is refused by libseccomp (-EACCES): harmless. */
      if (rc != 0 && rc != -EACCES && rc != -EEXIST) return seccomp_fail(env, ctx, text, "seccompCompile: seccomp_rule_add failed");
    } else {
      return seccomp_fail(env, ctx, text, "seccompCompile: bad line");
    }
  }
  if (!ctx) return seccomp_fail(env, ctx, text, "seccompCompile: no default action");
  int fd = memfd_create("berth-seccomp", MFD_CLOEXEC);
  if (fd < 0) return seccomp_fail(env, ctx, text, "seccompCompile: memfd_create failed");
  if (seccomp_export_bpf(ctx, fd) != 0) { close(fd); return seccomp_fail(env, ctx, text, "seccompCompile: seccomp_export_bpf failed"); }
  seccomp_release(ctx);
  free(text);
  off_t size = lseek(fd, 0, SEEK_END);
  lseek(fd, 0, SEEK_SET);
  napi_value out; void *dst = NULL;
  napi_create_buffer(env, (size_t)size, &dst, &out);
  size_t got = 0;
  while (got < (size_t)size) { ssize_t r = read(fd, (char *)dst + got, (size_t)size - got); if (r <= 0) break; got += (size_t)r; }
  close(fd);
  if (got != (size_t)size) { napi_throw_error(env, NULL, "seccompCompile: short read"); return NULL; }
  return out;
}

/*
 * netnsSocket(netnsPath, kind, address, port) → fd of an IPv4 socket ("udp" or "tcp", bound, not yet
 * listening) that lives in the network namespace at netnsPath. The embedded DNS server listens inside
 * each container's namespace the way Docker's does; a socket keeps the namespace it was created in, so
 * a short-lived thread setns()'s, creates and binds it, and ends. The main thread (and libuv's pool
 * threads, which are reused) never change namespace. lo is brought up when it is down, so the
 * 127.0.0.0/8 local route exists.
 */
struct netns_socket_job {
  char netns[PATH_BUF];
  int type;
  struct in_addr addr;
  int port;
  int fd;
  int err;
  const char *step;
};

static int bring_loopback_up(void) {
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) return -1;
  struct ifreq ifr; memset(&ifr, 0, sizeof ifr);
  strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
  int rc = ioctl(s, SIOCGIFFLAGS, &ifr);
  if (rc == 0 && !(ifr.ifr_flags & IFF_UP)) {
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    rc = ioctl(s, SIOCSIFFLAGS, &ifr);
  }
  int e = errno; close(s); errno = e;
  return rc;
}

static void *netns_socket_main(void *arg) {
  struct netns_socket_job *j = arg;
  j->fd = -1;
  int ns = open(j->netns, O_RDONLY | O_CLOEXEC);
  if (ns < 0) { j->err = errno; j->step = "open"; return NULL; }
  if (setns(ns, CLONE_NEWNET) != 0) { j->err = errno; j->step = "setns"; close(ns); return NULL; }
  close(ns);
  if (bring_loopback_up() != 0) { j->err = errno; j->step = "ioctl(lo up)"; return NULL; }
  int s = socket(AF_INET, j->type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (s < 0) { j->err = errno; j->step = "socket"; return NULL; }
  /* TCP only: rebinding right after a detach must not wait out TIME_WAIT. Never for UDP, where it
   * would let a second socket share the address (and take the datagrams). */
  int one = 1;
  if (j->type == SOCK_STREAM) setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in sa; memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET; sa.sin_addr = j->addr; sa.sin_port = htons((uint16_t)j->port);
  if (bind(s, (struct sockaddr *)&sa, sizeof sa) != 0) { j->err = errno; j->step = "bind"; close(s); return NULL; }
  j->fd = s;
  return NULL;
}

static napi_value js_netns_socket(napi_env env, napi_callback_info info) {
  size_t argc = 4; napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  struct netns_socket_job j; memset(&j, 0, sizeof j);
  char kind[8], address[64];
  int32_t port = -1;
  if (argc < 4 || get_string(env, argv[0], j.netns, sizeof j.netns) || get_string(env, argv[1], kind, sizeof kind) ||
      get_string(env, argv[2], address, sizeof address) || napi_get_value_int32(env, argv[3], &port) != napi_ok ||
      port < 0 || port > 65535 || inet_pton(AF_INET, address, &j.addr) != 1 ||
      (strcmp(kind, "udp") && strcmp(kind, "tcp"))) {
    napi_throw_type_error(env, NULL, "netnsSocket(netnsPath, 'udp'|'tcp', ipv4Address, port)");
    return NULL;
  }
  j.type = strcmp(kind, "udp") ? SOCK_STREAM : SOCK_DGRAM;
  j.port = port;
  pthread_t t;
  int rc = pthread_create(&t, NULL, netns_socket_main, &j);
  if (rc != 0) { errno = rc; return throw_errno(env, "pthread_create", j.netns); }
  pthread_join(t, NULL);
  if (j.fd < 0) { errno = j.err; return throw_errno(env, j.step, j.netns); }
  napi_value out; napi_create_int32(env, j.fd, &out);
  return out;
}

/*
 * A new network namespace, kept alive by a bind mount of its nsfs file onto `file` (which must
 * exist). A short-lived native thread unshares and binds its own namespace: network namespaces are
 * per thread, so the caller's threads never change namespace.
 */
struct new_netns_job { char file[PATH_BUF]; int err; const char *step; };

static void *new_netns_main(void *arg) {
  struct new_netns_job *j = arg;
  if (unshare(CLONE_NEWNET) != 0) { j->err = errno; j->step = "unshare"; return NULL; }
  char self[64];
  snprintf(self, sizeof self, "/proc/self/task/%ld/ns/net", (long)gettid());
  if (mount(self, j->file, NULL, MS_BIND, NULL) != 0) { j->err = errno; j->step = "mount"; return NULL; }
  return NULL;
}

static napi_value js_create_netns(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  struct new_netns_job j; memset(&j, 0, sizeof j);
  if (argc < 1 || get_string(env, argv[0], j.file, sizeof j.file)) { napi_throw_type_error(env, NULL, "createNetns(file)"); return NULL; }
  pthread_t t;
  int rc = pthread_create(&t, NULL, new_netns_main, &j);
  if (rc != 0) { errno = rc; return throw_errno(env, "pthread_create", j.file); }
  pthread_join(t, NULL);
  if (j.step) { errno = j.err; return throw_errno(env, j.step, j.file); }
  return undefined(env);
}

#define EXPORT(name, fn) do { napi_value f; napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, NULL, &f); napi_set_named_property(env, exports, name, f); } while (0)

static napi_value init(napi_env env, napi_value exports) {
  EXPORT("mknod", js_mknod);
  EXPORT("lsetxattr", js_lsetxattr);
  EXPORT("lgetxattr", js_lgetxattr);
  EXPORT("mount", js_mount);
  EXPORT("umount2", js_umount2);
  EXPORT("seqpacketBridge", js_seqpacket_bridge);
  EXPORT("seccompCompile", js_seccomp_compile);
  EXPORT("netnsSocket", js_netns_socket);
  EXPORT("createNetns", js_create_netns);
  register_spawn(env, exports);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
