/** A choice of a select prompt. */
export interface PromptChoice<T extends string> {
  value: T;
  name: string;
  description?: string;
}

/**
 * The questions `backplane new` asks in interactive mode. The default implementation uses
 * `@inquirer/prompts`; tests pass their own.
 */
export interface Prompter {
  select<T extends string>(options: { message: string; choices: PromptChoice<T>[] }): Promise<T>;
  input(options: {
    message: string;
    default?: string;
    validate?: (value: string) => true | string;
  }): Promise<string>;
  confirm(options: { message: string; default?: boolean }): Promise<boolean>;
}

/** A {@link Prompter} that asks on the terminal with `@inquirer/prompts`. */
export function createInquirerPrompter(): Prompter {
  const load = () => import('@inquirer/prompts');
  return {
    async select(options) {
      const { select } = await load();
      return select(options);
    },
    async input(options) {
      const { input } = await load();
      return input(options);
    },
    async confirm(options) {
      const { confirm } = await load();
      return confirm(options);
    },
  };
}
