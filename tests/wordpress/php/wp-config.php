<?php
/*
 * wp-config.php of a throwaway test site (cmreader's tests); tests/wordpress/site.py fills the
 * '@@...@@' values in and writes it over the one Debian's package ships.
 */
define('DB_NAME', 'wordpress');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
// The private MariaDB's unix socket: no TCP at all.
define('DB_HOST', '@@DB_HOST@@');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
$table_prefix = 'wp_';

define('WP_HOME', '@@URL@@');
define('WP_SITEURL', '@@URL@@');

// Application Passwords are refused over plain http unless the site says it is local.
define('WP_ENVIRONMENT_TYPE', 'local');

// Nothing may wait on the internet (there is none) or run behind the tests' backs.
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);
define('DISALLOW_FILE_MODS', true);
define('WP_DEFAULT_THEME', 'cmreader-test');

// PHP 8.2's deprecation notices would corrupt the JSON: log, never display.
define('WP_DEBUG', false);
define('WP_DEBUG_DISPLAY', false);
ini_set('display_errors', '0');
ini_set('log_errors', '1');
ini_set('error_log', '@@ERROR_LOG@@');

// Fixed keys and salts: the site lives for one test run.
define('AUTH_KEY', 'cmreader-test-auth-key');
define('SECURE_AUTH_KEY', 'cmreader-test-secure-auth-key');
define('LOGGED_IN_KEY', 'cmreader-test-logged-in-key');
define('NONCE_KEY', 'cmreader-test-nonce-key');
define('AUTH_SALT', 'cmreader-test-auth-salt');
define('SECURE_AUTH_SALT', 'cmreader-test-secure-auth-salt');
define('LOGGED_IN_SALT', 'cmreader-test-logged-in-salt');
define('NONCE_SALT', 'cmreader-test-nonce-salt');

if (!defined('ABSPATH')) {
    define('ABSPATH', __DIR__ . '/');
}
require_once ABSPATH . 'wp-settings.php';
