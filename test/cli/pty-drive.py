# Drives a command through a real pseudo-terminal for the CLI's -it tests:
#   pty-drive.py ROWS COLS WAIT_FOR INPUT -- CMD...
# Sets the terminal size, waits until WAIT_FOR appears in the output, types INPUT, then copies
# everything to stdout until the command ends; exits with the command's exit code.
import os, pty, select, struct, sys, fcntl, termios, time

rows, cols, wait_for, typed = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3].encode(), sys.argv[4].encode()
cmd = sys.argv[sys.argv.index('--') + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
out = b''
sent = False
deadline = time.time() + 60
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.2)
    if fd in r:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        out += data
    if not sent and wait_for in out:
        os.write(fd, typed)
        sent = True
sys.stdout.buffer.write(out)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status) if sent else 99)
