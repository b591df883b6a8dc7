/* Child processes started with posix_spawn (spawn.c). */
#pragma once
#include <node_api.h>

void register_spawn(napi_env env, napi_value exports);

/* Throws a JS Error for `errno` (.code = its name, .syscall, .errno), like Node's fs (berth_native.c). */
napi_value throw_errno(napi_env env, const char *syscall, const char *path);
