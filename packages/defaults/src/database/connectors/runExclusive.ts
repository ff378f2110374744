/**
 * Runs tasks one at a time, in call order. DDL statements such as CREATE DATABASE are serialized
 * this way within a backend; other replicas are handled by tolerating "already exists".
 */
export function createExclusiveRunner(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>) => {
    const result = tail.then(task, task);
    tail = result.catch(() => undefined);
    return result;
  };
}
