// A replica that starts migrating plugin 'todo' and never finishes: the test kills it with
// SIGKILL once it prints 'migrating'. Run with tsx; argv[2] is the `backend.database` block.
import type { Knex } from 'knex';
import { ConfigReader } from '../../rootConfig';
import { DatabaseManager } from '../DatabaseManager';
import { notesMigrationSource } from './notesMigrationSource';

async function main() {
  const database = JSON.parse(process.argv[2]!);
  const manager = DatabaseManager.fromConfig(new ConfigReader({ backend: { database } }));
  const client = await manager.forPlugin('todo').getClient();
  await client.migrate.latest({
    migrationSource: notesMigrationSource(async (knex: Knex) => {
      await knex.schema.createTable('notes', table => table.string('text'));
      process.stdout.write('migrating\n');
      await new Promise(() => {});
    }),
  });
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
