/*
 * Starting child processes with posix_spawn (vfork semantics) instead of libuv's fork().
 *
 * Why: libuv 1.46 (Node 20) forks, and fork copies the daemon's page tables: ~3 ms per child at
 * the daemon's ~100 MB RSS, on the event loop, six times per `run --rm` (conmon, crun start and
 * delete, CNI plugins). posix_spawn shares the address space until exec, so a spawn costs the same
 * ~0.2 ms whatever the daemon's size.
 *
 * The JS side makes the socket pairs, passes the fds the child gets as its fds 0..n-1, and hears
 * of the exit through a callback: a detached thread per child blocks in waitpid(pid) and calls
 * back through a thread-safe function (libuv's SIGCHLD handler only reaps its own children, so
 * these are ours to reap).
 */
#define _GNU_SOURCE
#include <node_api.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spawn.h"

#define MAX_FDS 16

/* A JS array of strings as a NULL-terminated, malloc'ed char*[] (freed with free_strv). */
static char **strv(napi_env env, napi_value arr) {
  uint32_t n = 0;
  if (napi_get_array_length(env, arr, &n) != napi_ok) return NULL;
  char **out = calloc(n + 1, sizeof *out);
  if (!out) return NULL;
  for (uint32_t i = 0; i < n; i++) {
    napi_value v; size_t len = 0;
    napi_get_element(env, arr, i, &v);
    if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) { out[i] = NULL; goto fail; }
    out[i] = malloc(len + 1);
    if (!out[i]) goto fail;
    napi_get_value_string_utf8(env, v, out[i], len + 1, &len);
  }
  return out;
fail:
  for (uint32_t i = 0; i < n; i++) free(out[i]);
  free(out);
  return NULL;
}

static void free_strv(char **v) {
  if (!v) return;
  for (char **p = v; *p; p++) free(*p);
  free(v);
}

struct waiter { pid_t pid; napi_threadsafe_function tsfn; };

static void *wait_main(void *arg) {
  struct waiter *w = arg;
  int status = 0;
  pid_t r;
  do r = waitpid(w->pid, &status, 0); while (r < 0 && errno == EINTR);
  /* Encoded for the JS side: code >= 0 for an exit, -signal for a kill. */
  intptr_t code = r < 0 ? -255 : WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? -WTERMSIG(status) : -255;
  napi_call_threadsafe_function(w->tsfn, (void *)code, napi_tsfn_blocking);
  napi_release_threadsafe_function(w->tsfn, napi_tsfn_release);
  free(w);
  return NULL;
}

static void call_exit(napi_env env, napi_value cb, void *ctx, void *data) {
  if (!env) return;
  intptr_t code = (intptr_t)data;
  napi_value arg, undef;
  napi_create_int32(env, (int32_t)code, &arg);
  napi_get_undefined(env, &undef);
  napi_call_function(env, undef, cb, 1, &arg, NULL);
}

/*
 * spawn(file, argv[], envp[], cwd, fds[], setsid, onExit) → pid
 * fds[i] becomes the child's fd i (-1: /dev/null). file is searched in PATH when it has no slash.
 */
static napi_value js_spawn(napi_env env, napi_callback_info info) {
  size_t argc = 7; napi_value argv[7];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char file[4096], cwd[4096];
  size_t len = 0;
  bool setsid_flag = false;
  uint32_t nfds = 0;
  if (argc < 7 || napi_get_value_string_utf8(env, argv[0], file, sizeof file, &len) != napi_ok ||
      napi_get_value_string_utf8(env, argv[3], cwd, sizeof cwd, &len) != napi_ok ||
      napi_get_array_length(env, argv[4], &nfds) != napi_ok || nfds > MAX_FDS ||
      napi_get_value_bool(env, argv[5], &setsid_flag) != napi_ok) {
    napi_throw_type_error(env, NULL, "spawn(file, argv, envp, cwd, fds, setsid, onExit)");
    return NULL;
  }
  char **av = strv(env, argv[1]), **ev = strv(env, argv[2]);
  if (!av || !ev) { free_strv(av); free_strv(ev); napi_throw_type_error(env, NULL, "spawn: argv and envp must be string arrays"); return NULL; }

  /* The sources are first duplicated above every target fd, so no dup2 onto a target clobbers a
   * source still to come, and every target gets its close-on-exec flag cleared by dup2. */
  int tmp[MAX_FDS];
  int err = 0;
  for (uint32_t i = 0; i < nfds; i++) tmp[i] = -1;
  for (uint32_t i = 0; i < nfds && !err; i++) {
    napi_value v; int32_t fd = -1;
    napi_get_element(env, argv[4], i, &v);
    napi_get_value_int32(env, v, &fd);
    if (fd >= 0 && (tmp[i] = fcntl(fd, F_DUPFD_CLOEXEC, (int)nfds)) < 0) err = errno;
  }
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t at;
  posix_spawn_file_actions_init(&fa);
  posix_spawnattr_init(&at);
  for (uint32_t i = 0; i < nfds && !err; i++) {
    if (tmp[i] >= 0) err = posix_spawn_file_actions_adddup2(&fa, tmp[i], (int)i);
    else err = posix_spawn_file_actions_addopen(&fa, (int)i, "/dev/null", O_RDWR, 0);
  }
  if (!err && cwd[0]) err = posix_spawn_file_actions_addchdir_np(&fa, cwd);
  /* Node ignores SIGPIPE and blocks nothing the child should inherit: every signal back to its
   * default and an empty mask, as libuv does for its children. */
  sigset_t all, none;
  /* Every bit, not sigfillset(): that leaves out glibc's internal signals (32, 33), which
   * posix_spawn then sets to SIG_IGN in the child, and an exec keeps SIG_IGN. */
  memset(&all, 0xff, sizeof all);
  sigemptyset(&none);
  short flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | (setsid_flag ? POSIX_SPAWN_SETSID : 0);
  if (!err) err = posix_spawnattr_setsigdefault(&at, &all);
  if (!err) err = posix_spawnattr_setsigmask(&at, &none);
  if (!err) err = posix_spawnattr_setflags(&at, flags);
  pid_t pid = -1;
  if (!err) err = posix_spawnp(&pid, file, &fa, &at, av, ev);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&at);
  for (uint32_t i = 0; i < nfds; i++) if (tmp[i] >= 0) close(tmp[i]);
  free_strv(av);
  free_strv(ev);
  if (err) { errno = err; return throw_errno(env, "spawn", file); }

  struct waiter *w = malloc(sizeof *w);
  napi_value name;
  napi_create_string_utf8(env, "berth-child-exit", NAPI_AUTO_LENGTH, &name);
  pthread_t t;
  if (!w || napi_create_threadsafe_function(env, argv[6], NULL, name, 0, 1, NULL, NULL, NULL, call_exit, &w->tsfn) != napi_ok) {
    /* The child runs but nobody would reap it: reap it here rather than leave a zombie. */
    kill(pid, SIGKILL); waitpid(pid, NULL, 0); free(w);
    napi_throw_error(env, NULL, "spawn: cannot watch the child's exit");
    return NULL;
  }
  w->pid = pid;
  int rc = pthread_create(&t, NULL, wait_main, w);
  if (rc != 0) {
    kill(pid, SIGKILL); waitpid(pid, NULL, 0);
    napi_release_threadsafe_function(w->tsfn, napi_tsfn_release); free(w);
    errno = rc;
    return throw_errno(env, "pthread_create", file);
  }
  pthread_detach(t);
  napi_value out;
  napi_create_int32(env, pid, &out);
  return out;
}

/* socketpair() → [daemonFd, childFd], both close-on-exec (spawn's dup2 clears it on the child's
 * copy). A socket, as libuv uses for 'pipe' stdio: one fd serves either direction. */
static napi_value js_socketpair(napi_env env, napi_callback_info info) {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return throw_errno(env, "socketpair", NULL);
  napi_value arr, a, b;
  napi_create_array_with_length(env, 2, &arr);
  napi_create_int32(env, fds[0], &a);
  napi_create_int32(env, fds[1], &b);
  napi_set_element(env, arr, 0, a);
  napi_set_element(env, arr, 1, b);
  return arr;
}

void register_spawn(napi_env env, napi_value exports) {
  napi_value f;
  napi_create_function(env, "spawn", NAPI_AUTO_LENGTH, js_spawn, NULL, &f);
  napi_set_named_property(env, exports, "spawn", f);
  napi_create_function(env, "socketpair", NAPI_AUTO_LENGTH, js_socketpair, NULL, &f);
  napi_set_named_property(env, exports, "socketpair", f);
}
