# Drives 'docker run -it' through a real pseudo-terminal for test/docker/cli-run.test.ts:
#   pty-resize.py CMD...   starts at 20x60, asks 'stty size', resizes the terminal to 44x111 (the
#   kernel sends SIGWINCH to the CLI), asks again and exits 3; prints everything, exits with CMD's code.
import os, pty, select, struct, sys, fcntl, termios, time
cmd = sys.argv[1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 20, 60, 0, 0))
out = b''; step = 0; deadline = time.time() + 30
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.2)
    if fd in r:
        try: data = os.read(fd, 4096)
        except OSError: break
        if not data: break
        out += data
    if step == 0 and b'# ' in out:
        os.write(fd, b'stty size\r'); step = 1
    elif step == 1 and b'20 60' in out:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 44, 111, 0, 0))
        time.sleep(0.5)
        os.write(fd, b'stty size; exit 3\r'); step = 2
sys.stdout.buffer.write(out)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
