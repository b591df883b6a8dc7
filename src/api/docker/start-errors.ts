/**
 * The docker CLI picks `run`'s exit code from the start error's text: "executable file not found"
 * or "no such file or directory" → 127, "permission denied" or "is a directory" → 126, else 125
 * (case-sensitive, runc's wording). crun words the same failures differently
 * ("executable file `x` not found in $PATH: No such file or directory", "open executable:
 * Operation not permitted"), so the API adds runc's wording for the docker CLI to find.
 */
export function dockerStartErrorMessage(message: string): string {
  const notFound = /executable file `([^`]*)` not found in \$PATH/.exec(message);
  if (notFound) return `${message} (exec: "${notFound[1]}": executable file not found in $PATH)`;
  if (/open executable: (Operation not permitted|Permission denied)/i.test(message) && !message.includes('permission denied')) {
    return `${message} (exec: permission denied)`;
  }
  return message;
}
