<?php
/*
 * Plugin Name: cmreader test site
 * Description: Must-use plugin of cmreader's throwaway test site: no mail, no outgoing HTTP,
 *              no comment flood check (WordPress's duplicate check stays on).
 */

// There is no mail server: every wp_mail() "succeeds" without sending anything.
add_filter('pre_wp_mail', '__return_true', PHP_INT_MAX);

// Nor any network: fail every outgoing request at once instead of waiting on a timeout.
add_filter('pre_http_request', function () {
    return new WP_Error('http_request_blocked', 'cmreader test site: no outgoing HTTP');
}, PHP_INT_MAX);

// Tests post many comments in a row: no "You are posting comments too quickly".
// The duplicate check (409 comment_duplicate) is WordPress's own and is kept.
remove_action('check_comment_flood', 'check_comment_flood_db', 10);
remove_filter('comment_flood_filter', 'wp_throttle_comment_flood', 10);
add_filter('comment_flood_filter', '__return_false', PHP_INT_MAX);
add_filter('wp_is_comment_flood', '__return_false', PHP_INT_MAX);
