/**
 * Device access. Unprivileged containers get Docker's devices-cgroup rules (deny everything,
 * then allow null, zero, urandom, random, tty, console; deny fuse); the runtime itself creates
 * the OCI default device nodes (null, zero, full, random, urandom, tty, console, ptmx) and adds
 * its own allow rules for them and for /dev/pts. Privileged containers see every host device.
 */
import type { OciDeviceCgroup } from '../../../api/oci/runtime-spec.js';

const rule = (allow: boolean, major: number, minor: number): OciDeviceCgroup => ({ allow, type: 'c', major, minor, access: 'rwm' });

/** moby oci/defaults.go DefaultLinuxSpec().Linux.Resources.Devices. */
export function defaultDeviceRules(): OciDeviceCgroup[] {
  return [
    { allow: false, access: 'rwm' },
    rule(true, 1, 5), // /dev/zero
    rule(true, 1, 3), // /dev/null
    rule(true, 1, 9), // /dev/urandom
    rule(true, 1, 8), // /dev/random
    rule(true, 5, 0), // /dev/tty
    rule(true, 5, 1), // /dev/console
    rule(false, 10, 229), // /dev/fuse
  ];
}

export function privilegedDeviceRules(): OciDeviceCgroup[] {
  return [{ allow: true, access: 'rwm' }];
}
