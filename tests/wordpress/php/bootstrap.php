<?php
/*
 * Shared start of the command-line scripts (install.php, agent.php): load WordPress from the
 * command line as if a request came to the site's home.
 *
 *   php SCRIPT.php WORDPRESS_DIR SITE_URL ...
 */
if (PHP_SAPI !== 'cli') {
    exit(1);
}
$cmwp_dir = rtrim($argv[1], '/');
$cmwp_url = parse_url($argv[2]);
$_SERVER['HTTP_HOST'] = $cmwp_url['host'] . ':' . $cmwp_url['port'];
$_SERVER['SERVER_NAME'] = $cmwp_url['host'];
$_SERVER['SERVER_PORT'] = (string) $cmwp_url['port'];
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['REMOTE_ADDR'] = '127.0.0.1';
$_SERVER['SCRIPT_NAME'] = '/index.php';
$_SERVER['PHP_SELF'] = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $cmwp_dir . '/index.php';

/** Write one line of JSON to the Python side (stdout, whatever PHP's output buffers hold). */
function cmwp_reply($value)
{
    fwrite(STDOUT, json_encode($value, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE) . "\n");
    fflush(STDOUT);
}

/** The id of a user given by login (or by id). */
function cmwp_user_id($user)
{
    if (is_int($user)) {
        return $user;
    }
    $found = get_user_by('login', $user);
    if (!$found) {
        throw new RuntimeException("no such user: $user");
    }
    return $found->ID;
}

/** Run one SQL statement through $wpdb; a database error is an exception. */
function cmwp_query($sql)
{
    global $wpdb;
    $result = $wpdb->query($sql);
    if ($result === false || $wpdb->last_error !== '') {
        throw new RuntimeException('SQL error: ' . $wpdb->last_error . ' in ' . substr($sql, 0, 300));
    }
    return $result;
}
