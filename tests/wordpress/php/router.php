<?php
/*
 * Router for PHP's built-in server in front of WordPress (tests only).
 *
 * Paths that exist (wp-login.php, wp-admin/, static assets) are left to the built-in server;
 * every other path goes to index.php, as Apache's rewrite rules would send it, so that pretty
 * permalinks and /wp-json/... work.
 */
$path = urldecode(parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) ?? '/');
if (file_exists($_SERVER['DOCUMENT_ROOT'] . $path)) {
    return false;
}
$_SERVER['SCRIPT_NAME'] = '/index.php';
$_SERVER['PHP_SELF'] = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $_SERVER['DOCUMENT_ROOT'] . '/index.php';
chdir($_SERVER['DOCUMENT_ROOT']);
require $_SERVER['DOCUMENT_ROOT'] . '/index.php';
