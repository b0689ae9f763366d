<?php
/*
 * Install the throwaway test site: tables, options, users, one Application Password each.
 *
 *   php install.php WORDPRESS_DIR SITE_URL
 *
 * Prints one line of JSON: {"users": {login: {"id", "email", "name", "password"}}}.
 */
define('WP_INSTALLING', true);
require __DIR__ . '/bootstrap.php';
ob_start();
require $cmwp_dir . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/user.php';

// A minimal theme, so the front end answers like a real blog's (with wp_head's discovery links).
$theme = WP_CONTENT_DIR . '/themes/cmreader-test';
if (!is_dir($theme)) {
    mkdir($theme, 0755, true);
}
file_put_contents("$theme/style.css", "/*\nTheme Name: cmreader test\n*/\n");
file_put_contents(
    "$theme/index.php",
    "<!DOCTYPE html>\n<html><head><?php wp_head(); ?></head><body>\n"
    . "<?php while (have_posts()) { the_post(); the_title('<h2>', '</h2>'); the_content(); } ?>\n"
    . "<?php wp_footer(); ?></body></html>\n"
);

// wp_install() would probe the site over HTTP for pretty permalinks: set them ourselves.
add_filter('pre_http_request', function () {
    return new WP_Error('http_request_blocked', 'no HTTP during install');
});
$result = wp_install('cmreader test blog', 'admin', 'admin@example.org', true, '', wp_generate_password(24));
if (is_wp_error($result)) {
    throw new RuntimeException($result->get_error_message());
}

global $wp_rewrite;
$wp_rewrite->set_permalink_structure('/%postname%/');
$wp_rewrite->flush_rules(false);
update_option('timezone_string', 'UTC');
update_option('gmt_offset', 0);
update_option('blogdescription', '');
update_option('fresh_site', 0);
update_option('show_avatars', 0);

wp_update_user(['ID' => 1, 'display_name' => 'Admin', 'first_name' => 'Admin']);
$users = ['admin' => 1];
foreach (['editor' => 'Editor', 'author' => 'Author'] as $login => $name) {
    $id = wp_insert_user([
        'user_login' => $login,
        'user_email' => "$login@example.org",
        'user_pass' => wp_generate_password(24),
        'display_name' => $name,
        'first_name' => $name,
        'role' => $login,
    ]);
    if (is_wp_error($id)) {
        throw new RuntimeException($id->get_error_message());
    }
    $users[$login] = $id;
}

$out = [];
foreach ($users as $login => $id) {
    $created = WP_Application_Passwords::create_new_application_password($id, ['name' => 'cmreader']);
    if (is_wp_error($created)) {
        throw new RuntimeException($created->get_error_message());
    }
    $user = get_userdata($id);
    $out[$login] = [
        'id' => $id,
        'email' => $user->user_email,
        'name' => $user->display_name,
        'password' => $created[0],
    ];
}
ob_end_clean();
cmwp_reply(['users' => $out]);
