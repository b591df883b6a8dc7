/**
 * berth's NotFound messages name the object (`container "x" not found`); Docker clients and scripts
 * match Docker's own wording for containers and images ("No such container: x"), so the Docker API
 * answers with that. Other kinds already read like Docker's.
 */
const DOCKER_WORDING: Array<[RegExp, string]> = [
  [/^container "([^"]*)" not found$/, 'No such container: '],
  [/^image "([^"]*)" not found$/, 'No such image: '],
  [/^exec instance "([^"]*)" not found$/, 'No such exec instance: '],
];

export function dockerNotFoundMessage(message: string): string {
  for (const [pattern, prefix] of DOCKER_WORDING) {
    const m = pattern.exec(message);
    if (m) return prefix + m[1];
  }
  return message;
}
