package org.innograph.neo4jdev;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.SettingValueParsers;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.exceptions.AuthenticationException;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Neo4j Community 5 server for InnoGraph development, tests and CI.
 *
 * <p>Runs the database in-process with the Bolt connector enabled, the HTTP connectors off and
 * authentication on. The password of the {@code neo4j} user is set from {@code NEO4J_PASSWORD}
 * on every start, so it follows the environment across restarts on the same data directory.
 * Once Bolt accepts that password (checked with a real Bolt client over the socket) and refuses
 * a wrong one, the line {@code READY ...} is printed. A shutdown hook stops the DBMS cleanly.
 *
 * <p>Settings (a Java system property wins over the environment variable):
 *
 * <ul>
 *   <li>{@code NEO4J_HOME_DIR} / {@code neo4j.home.dir}: data directory, default
 *       {@code ${XDG_STATE_HOME:-$HOME/.local/state}/innograph/neo4j}
 *   <li>{@code NEO4J_PASSWORD} / {@code neo4j.password}: password of user {@code neo4j}, at
 *       least 8 characters, default {@code innograph-dev}
 *   <li>{@code NEO4J_BOLT_HOST} / {@code neo4j.bolt.host}: listen address, default 127.0.0.1
 *   <li>{@code NEO4J_BOLT_PORT} / {@code neo4j.bolt.port}: listen port, default 7687
 *   <li>{@code NEO4J_PAGECACHE} / {@code neo4j.pagecache}: page cache size, default 256m
 * </ul>
 */
public final class DevServer {
    static final String DEFAULT_PASSWORD = "innograph-dev";
    static final int MIN_PASSWORD_LENGTH = 8;
    static final String USER = "neo4j";

    private static final PrintStream OUT = System.out;

    private DevServer() {}

    public static void main(String[] args) {
        Path home = Path.of(setting("NEO4J_HOME_DIR", "neo4j.home.dir", defaultHome()))
                .toAbsolutePath()
                .normalize();
        String password = setting("NEO4J_PASSWORD", "neo4j.password", DEFAULT_PASSWORD);
        String host = setting("NEO4J_BOLT_HOST", "neo4j.bolt.host", "127.0.0.1");
        String portText = setting("NEO4J_BOLT_PORT", "neo4j.bolt.port", "7687");
        String pageCache = setting("NEO4J_PAGECACHE", "neo4j.pagecache", "256m");

        int port;
        try {
            port = Integer.parseInt(portText.trim());
        } catch (NumberFormatException e) {
            fail("NEO4J_BOLT_PORT is not a number: " + portText);
            return;
        }
        if (password.length() < MIN_PASSWORD_LENGTH) {
            fail("NEO4J_PASSWORD must have at least " + MIN_PASSWORD_LENGTH + " characters");
        }

        DevServer.log("starting Neo4j in " + home + ", Bolt on " + host + ":" + port);
        CountDownLatch stopped = new CountDownLatch(1);
        DatabaseManagementService dbms;
        try {
            Files.createDirectories(home);
            dbms = new DatabaseManagementServiceBuilder(home)
                    .setUserLogProvider(new Log4jLogProvider(OUT, Level.INFO))
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                    .setConfig(BoltConnector.advertised_address, new SocketAddress(clientHost(host), port))
                    .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                    .setConfig(HttpConnector.enabled, false)
                    .setConfig(HttpsConnector.enabled, false)
                    .setConfig(GraphDatabaseSettings.auth_enabled, true)
                    .setConfig(GraphDatabaseSettings.auth_minimum_password_length, MIN_PASSWORD_LENGTH)
                    .setConfig(GraphDatabaseSettings.pagecache_memory, SettingValueParsers.BYTES.parse(pageCache))
                    .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                    // Keep only the newest transaction log: a development and
                    // test server needs no backups, and the logs of repeated
                    // benchmark imports otherwise fill the disk (16 GB in a day).
                    .setConfig(GraphDatabaseSettings.keep_logical_logs, "false")
                    .setConfig(GraphDatabaseSettings.udc_enabled, false)
                    // Netty waits this many quiet seconds per event loop group on shutdown (default 5).
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 1)
                    .build();
        } catch (Exception e) {
            e.printStackTrace(OUT);
            fail("Neo4j did not start: " + e);
            return;
        }

        final DatabaseManagementService service = dbms;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            DevServer.log("stopping Neo4j");
            try {
                service.shutdown();
                DevServer.log("STOPPED");
            } catch (Throwable t) {
                t.printStackTrace(OUT);
            } finally {
                OUT.flush();
                stopped.countDown();
            }
        }, "neo4j-dev-shutdown"));

        try {
            setPassword(dbms, password);
            String version = boltSelfCheck(clientHost(host), port, password);
            DevServer.log("READY bolt://" + clientHost(host) + ":" + port + " (Neo4j " + version
                    + ", user " + USER + ", home " + home + ")");
        } catch (Exception e) {
            e.printStackTrace(OUT);
            fail("start-up check failed: " + e.getMessage());
        }

        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Makes {@code password} the password of user {@code neo4j} and clears the "change required"
     * flag. Neo4j refuses to set the password it already has; that case is left to the Bolt
     * self-check, which fails if the stored password is not the wanted one.
     */
    static void setPassword(DatabaseManagementService dbms, String password) {
        GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
        boolean exists = system.executeTransactionally(
                "SHOW USERS YIELD user WHERE user = $user RETURN count(*) AS n",
                Map.of("user", USER),
                r -> ((Number) r.next().get("n")).longValue() > 0);
        if (!exists) {
            system.executeTransactionally(
                    "CREATE USER " + USER + " SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
            DevServer.log("created user " + USER);
            return;
        }
        try {
            system.executeTransactionally(
                    "ALTER USER " + USER + " SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
            DevServer.log("password of user " + USER + " set from NEO4J_PASSWORD");
        } catch (RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            if (!message.contains("cannot be the same")) {
                throw e;
            }
            // Same password as before: make sure no password change is pending.
            system.executeTransactionally("ALTER USER " + USER + " SET PASSWORD CHANGE NOT REQUIRED");
            DevServer.log("password of user " + USER + " already matches NEO4J_PASSWORD");
        }
    }

    /**
     * Connects with a Bolt client over the socket: the password must be accepted and a query
     * must run, a wrong password must be refused. Returns the Neo4j version the server reports.
     */
    static String boltSelfCheck(String host, int port, String password) {
        String uri = "bolt://" + host + ":" + port;
        Config config = Config.builder().withoutEncryption().withLogging(Logging.none()).build();
        String version;
        try (Driver driver = GraphDatabase.driver(uri, AuthTokens.basic(USER, password), config);
                Session session = driver.session()) {
            driver.verifyConnectivity();
            Record component = session.run("CALL dbms.components() YIELD name, versions, edition "
                            + "RETURN name, versions[0] AS version, edition")
                    .single();
            version = component.get("version").asString() + " " + component.get("edition").asString();
            long one = session.run("RETURN 1 AS one").single().get("one").asLong();
            if (one != 1) {
                throw new IllegalStateException("RETURN 1 gave " + one);
            }
        }
        try (Driver driver = GraphDatabase.driver(uri, AuthTokens.basic(USER, password + "-wrong"), config)) {
            driver.verifyConnectivity();
            throw new IllegalStateException("a wrong password was accepted: authentication is not on");
        } catch (AuthenticationException expected) {
            DevServer.log("self-check: Bolt login with NEO4J_PASSWORD works and a wrong password is refused"
                    + " (so the authentication-failure warning just above is expected)");
        }
        return version;
    }

    static String setting(String env, String property, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isEmpty()) {
            value = System.getenv(env);
        }
        return value == null || value.isEmpty() ? fallback : value;
    }

    static String defaultHome() {
        String state = System.getenv("XDG_STATE_HOME");
        if (state == null || state.isEmpty()) {
            state = Path.of(System.getProperty("user.home"), ".local", "state").toString();
        }
        return Path.of(state, "innograph", "neo4j").toString();
    }

    /** The address a local client dials for a listen address (a wildcard means loopback). */
    static String clientHost(String listenHost) {
        return List.of("0.0.0.0", "::", "[::]", "").contains(listenHost) ? "127.0.0.1" : listenHost;
    }

    static void log(String message) {
        OUT.println(java.time.OffsetDateTime.now() + " [innograph-neo4j] " + message);
        OUT.flush();
    }

    private static void fail(String message) {
        log("FAILED: " + message);
        System.exit(1);
    }
}
