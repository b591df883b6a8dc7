/* Child processes started with posix_spawn (spawn.c). */
#pragma once
#include <node_api.h>

void register_spawn(napi_env env, napi_value exports);
