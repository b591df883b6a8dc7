{
  "targets": [
    {
      "target_name": "berth_native",
      "sources": ["berth_native.c", "spawn.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "libraries": ["-lpthread", "-lseccomp"]
    }
  ]
}
