import type { Knex } from 'knex';
import type { Config, DatabaseService, LoggerService } from '@backplane/plugin-api';
import type { DatabaseConnector } from './connectors/DatabaseConnector';
import { MysqlConnector } from './connectors/MysqlConnector';
import { PgConnector } from './connectors/PgConnector';
import { SqliteConnector } from './connectors/SqliteConnector';
import { createKnexLog } from './createKnexLog';
import { describeDatabaseError } from './describeDatabaseError';
import { serializeMigrations } from './serializeMigrations';
import {
  checkBaseDatabaseConfig,
  readDatabaseSettings,
  type DatabaseEngine,
  type PluginDatabaseSettings,
} from './readDatabaseSettings';

/** Options for {@link DatabaseManager.fromConfig}. */
export interface DatabaseManagerOptions {
  /** Where the manager reports closing failures. */
  logger?: LoggerService;
}

/** Per-plugin dependencies for {@link DatabaseManager.forPlugin}. */
export interface DatabaseManagerPluginOptions {
  /** The plugin's logger; opening the database is logged there. */
  logger?: LoggerService;
}

const connectorFactories: Record<DatabaseEngine, () => DatabaseConnector> = {
  sqlite: () => new SqliteConnector(),
  pg: () => new PgConnector(),
  mysql: () => new MysqlConnector(),
};

/**
 * Gives each plugin its own database, as configured under `backend.database`. One manager serves
 * a whole backend: it creates each plugin's Knex client on first use, reuses it afterwards, and
 * closes them all in {@link DatabaseManager.shutdown}.
 */
export class DatabaseManager {
  private readonly connectors = new Map<DatabaseEngine, DatabaseConnector>();
  private readonly clients = new Map<string, Promise<Knex>>();
  private stopped = false;

  /** Reads `backend.database` from the root config; throws if the base settings are invalid. */
  static fromConfig(config: Config, options: DatabaseManagerOptions = {}): DatabaseManager {
    checkBaseDatabaseConfig(config);
    return new DatabaseManager(config, options);
  }

  private constructor(
    private readonly config: Config,
    private readonly options: DatabaseManagerOptions,
  ) {}

  /**
   * The database service of one plugin. Its settings are read and checked now, so that a wrong
   * per-plugin override fails when the plugin starts; the connection opens on `getClient()`.
   */
  forPlugin(pluginId: string, options: DatabaseManagerPluginOptions = {}): DatabaseService {
    const settings = readDatabaseSettings(this.config, pluginId);
    const logger = options.logger ?? this.options.logger;
    return {
      getClient: () => this.getClient(settings, logger),
      migrations: { skip: settings.skipMigrations },
    };
  }

  /** Closes every client this manager opened. Later `getClient()` calls fail. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    const pending = [...this.clients.entries()];
    this.clients.clear();
    await Promise.all(
      pending.map(async ([pluginId, clientPromise]) => {
        try {
          const client = await clientPromise.catch(() => undefined);
          await client?.destroy();
        } catch (error) {
          this.options.logger?.warn(`Failed to close the database of plugin '${pluginId}'`, error);
        }
      }),
    );
  }

  private getClient(settings: PluginDatabaseSettings, logger?: LoggerService): Promise<Knex> {
    const { pluginId } = settings;
    if (this.stopped) {
      return Promise.reject(
        new Error(
          `The database of plugin '${pluginId}' was requested after the backend stopped; ` +
            `finish database work in a shutdown hook of the plugin's lifecycle service.`,
        ),
      );
    }

    let client = this.clients.get(pluginId);
    if (!client) {
      client = this.openClient(settings, logger);
      this.clients.set(pluginId, client);
      client.catch(() => {
        if (this.clients.get(pluginId) === client) {
          this.clients.delete(pluginId);
        }
      });
    }
    return client;
  }

  private async openClient(settings: PluginDatabaseSettings, logger?: LoggerService) {
    const connector = this.getConnector(settings.engine);
    const log = logger && createKnexLog(logger);
    const client = await connector.createClient(settings, log);

    // Check the connection now, so that a wrong host or password fails the plugin's start with
    // an error that says which database and which config key.
    try {
      await client.raw('select 1');
    } catch (error) {
      await client.destroy().catch(() => undefined);
      throw describeDatabaseError(error, settings, 'open');
    }

    // Server engines: the migrations of replicas run one after another, and a Knex lock a
    // stopped replica left behind is freed. All engines: a taken Knex lock fails with a message
    // that says which plugin and table, and how to get past it.
    const withLock = connector.withMigrationLock?.bind(connector);
    const onWait = () =>
      logger?.info(
        'Waiting for another replica to finish migrating the database of plugin ' +
          `'${settings.pluginId}'`,
      );
    serializeMigrations(client, {
      settings,
      logger,
      lock: withLock && (task => withLock(settings, task, onWait, log)),
    });

    logger?.debug('Opened plugin database', {
      client: settings.clientName,
      database: settings.databaseName ?? null,
      schema: settings.schemaName ?? null,
    });
    return client;
  }

  private getConnector(engine: DatabaseEngine): DatabaseConnector {
    let connector = this.connectors.get(engine);
    if (!connector) {
      connector = connectorFactories[engine]();
      this.connectors.set(engine, connector);
    }
    return connector;
  }
}
