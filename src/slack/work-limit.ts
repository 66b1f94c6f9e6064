/**
 * At most `max` answers are worked on at once; the rest wait their turn. Answers share the event loop with
 * the acks of new requests: a few at a time keeps each ack waiting for little work, where twenty answers
 * interleaved would put all of theirs ahead of it. Throughput is the same (the CPU is the limit).
 */
export function createWorkLimit(max: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    running--;
    const next = waiting.shift();
    if (next) {
      running++;
      next();
    }
  };
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await work();
    } finally {
      release();
    }
  };
}

export type WorkLimit = ReturnType<typeof createWorkLimit>;
