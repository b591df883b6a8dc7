/** Container ids and names, Docker's way: 64 random hex chars; `adjective_surname` when no name is given. */
import { randomBytes } from 'node:crypto';
import { invalidArgument } from '../../base/errors.js';

export function newId(): string {
  return randomBytes(32).toString('hex');
}

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** Strips one leading "/" and checks Docker's rule; throws InvalidArgument naming the value. */
export function validateName(name: string): string {
  const n = name.startsWith('/') ? name.slice(1) : name;
  if (!NAME_RE.test(n)) throw invalidArgument(`invalid container name "${name}": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  return n;
}

// A subset of Docker's names-generator lists (moby/pkg/namesgenerator).
const left = ['admiring', 'adoring', 'affectionate', 'agitated', 'amazing', 'angry', 'awesome', 'blissful', 'bold', 'brave',
  'charming', 'clever', 'cool', 'compassionate', 'competent', 'confident', 'crazy', 'dazzling', 'determined', 'dreamy',
  'eager', 'ecstatic', 'elastic', 'elated', 'elegant', 'epic', 'fervent', 'festive', 'focused', 'friendly', 'gallant',
  'gifted', 'goofy', 'gracious', 'happy', 'hopeful', 'hungry', 'inspiring', 'jolly', 'keen', 'kind', 'laughing', 'loving',
  'lucid', 'magical', 'modest', 'musing', 'nifty', 'nostalgic', 'optimistic', 'peaceful', 'pensive', 'practical',
  'priceless', 'quirky', 'relaxed', 'reverent', 'romantic', 'serene', 'sharp', 'silly', 'sleepy', 'stoic', 'strange',
  'sweet', 'tender', 'thirsty', 'trusting', 'upbeat', 'vibrant', 'vigilant', 'wizardly', 'wonderful', 'youthful', 'zealous'];
const right = ['agnesi', 'albattani', 'allen', 'archimedes', 'babbage', 'banach', 'bardeen', 'bell', 'bhabha', 'bohr',
  'booth', 'borg', 'bose', 'brattain', 'cannon', 'carson', 'cerf', 'chandrasekhar', 'chebyshev', 'clarke', 'curie',
  'darwin', 'davinci', 'dijkstra', 'easley', 'einstein', 'elion', 'euclid', 'euler', 'fermat', 'fermi', 'feynman',
  'franklin', 'galileo', 'gauss', 'goldberg', 'goodall', 'hamilton', 'hawking', 'heisenberg', 'hopper', 'hypatia',
  'jemison', 'johnson', 'kalam', 'kepler', 'knuth', 'lamarr', 'lovelace', 'margulis', 'mayer', 'mccarthy', 'meitner',
  'mirzakhani', 'newton', 'nobel', 'noether', 'pascal', 'pasteur', 'payne', 'perlman', 'raman', 'ritchie', 'sammet',
  'shannon', 'sinoussi', 'tesla', 'thompson', 'torvalds', 'turing', 'villani', 'wiles', 'wozniak', 'wright', 'yalow'];

function pick<T>(list: T[]): T {
  return list[randomBytes(2).readUInt16BE(0) % list.length]!;
}

/** A free `adjective_surname`; appends a digit like Docker does when the plain name is taken. */
export function generateName(taken: (name: string) => boolean): string {
  for (let attempt = 0; attempt < 100; attempt++) {
    let name = `${pick(left)}_${pick(right)}`;
    if (name === 'boring_wozniak') continue; // Steve Wozniak is not boring (Docker's own rule)
    if (attempt > 10) name += String(randomBytes(1)[0]! % 10);
    if (!taken(name)) return name;
  }
  return `berth_${randomBytes(6).toString('hex')}`;
}
