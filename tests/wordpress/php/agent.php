<?php
/*
 * The test site's back door: one long-lived PHP process with WordPress loaded, that
 * tests/wordpress/site.py drives over its stdin/stdout, one line of JSON each way:
 *
 *   {"op": "add_comment", "args": {...}}   ->   {"ok": true, "result": ...}
 *                                          or   {"ok": false, "error": "..."}
 *
 * It does what a moderator in wp-admin or a database would do behind the REST API's back, through
 * WordPress's own functions where they exist (so counts, metadata and hooks stay as WordPress keeps
 * them) and batch SQL where speed matters (seed, reset). WordPress's object cache is emptied before
 * every command: the REST API changes the database from other processes meanwhile.
 *
 *   php agent.php WORDPRESS_DIR SITE_URL
 */
require __DIR__ . '/bootstrap.php';
ob_start();
require $cmwp_dir . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/post.php';
require_once ABSPATH . 'wp-admin/includes/comment.php';
ob_end_clean();

// As the admin, whose content is stored as written (no kses on what tests put in).
wp_set_current_user(1);
kses_remove_filters();
// wp_die() must not end this process: it becomes an error reply.
add_filter('wp_die_handler', function () {
    return function ($message) {
        if (is_wp_error($message)) {
            $message = $message->get_error_message();
        }
        throw new RuntimeException('wp_die: ' . wp_strip_all_tags((string) $message));
    };
});

const CMWP_STATUS = ['1' => 'approved', '0' => 'hold', 'spam' => 'spam', 'trash' => 'trash'];

/** The Application Passwords as installed, which reset() puts back. */
$cmwp_pristine_passwords = $wpdb->get_results(
    "SELECT user_id, meta_value FROM $wpdb->usermeta WHERE meta_key = '_application_passwords'",
    ARRAY_A
);
/** Options changed by set_option(), with the values they had before: reset() puts them back. */
$cmwp_changed_options = [];

function cmwp_gmt($value)
{
    return $value === null ? current_time('mysql', true) : $value;
}

function cmwp_iso($mysql)
{
    return str_replace(' ', 'T', $mysql);
}

function cmwp_comment_row($row)
{
    return [
        'id' => (int) $row['comment_ID'],
        'post' => (int) $row['comment_post_ID'],
        'parent' => (int) $row['comment_parent'],
        'content' => $row['comment_content'],
        'status' => CMWP_STATUS[$row['comment_approved']] ?? $row['comment_approved'],
        'author' => $row['comment_author'],
        'email' => $row['comment_author_email'],
        'user_id' => (int) $row['user_id'],
        'date' => cmwp_iso($row['comment_date_gmt']),
        'type' => $row['comment_type'],
    ];
}

function cmwp_comment_status($id, $status)
{
    $id = (int) $id;
    $comment = get_comment($id);
    if (!$comment) {
        throw new RuntimeException("no such comment: $id");
    }
    $now = $comment->comment_approved;
    switch ($status) {
        case 'approved':
        case 'hold':
            // wp-admin restores a comment from the trash or the spam first, then (un)approves it.
            if ($now === 'trash') {
                wp_untrash_comment($id);
            } elseif ($now === 'spam') {
                wp_unspam_comment($id);
            }
            wp_set_comment_status($id, $status === 'approved' ? 'approve' : 'hold');
            break;
        case 'spam':
            wp_spam_comment($id);
            break;
        case 'unspam':
            wp_unspam_comment($id);
            break;
        case 'trash':
            wp_trash_comment($id);
            break;
        case 'untrash':
            wp_untrash_comment($id);
            break;
        default:
            throw new RuntimeException("unknown comment status: $status");
    }
}

function cmwp_seed($posts, $per_post)
{
    global $wpdb;
    $next_post = (int) $wpdb->get_var(
        "SELECT AUTO_INCREMENT FROM information_schema.TABLES"
        . " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '$wpdb->posts'"
    );
    $next_post = max($next_post, 1 + (int) $wpdb->get_var("SELECT MAX(ID) FROM $wpdb->posts"));
    $next_comment = (int) $wpdb->get_var(
        "SELECT AUTO_INCREMENT FROM information_schema.TABLES"
        . " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '$wpdb->comments'"
    );
    $next_comment = max(
        $next_comment,
        1 + (int) $wpdb->get_var("SELECT MAX(comment_ID) FROM $wpdb->comments")
    );
    $category = (int) get_option('default_category');
    $category_tt = (int) $wpdb->get_var($wpdb->prepare(
        "SELECT term_taxonomy_id FROM $wpdb->term_taxonomy WHERE term_id = %d AND taxonomy = 'category'",
        $category
    ));
    // Posts a day apart, then each post's comments a minute apart, all in the past.
    $start = time() - $posts * DAY_IN_SECONDS - $posts * $per_post * MINUTE_IN_SECONDS - 3600;
    $post_rows = [];
    $term_rows = [];
    $comment_rows = [];
    $flush = function () use (&$comment_rows, $wpdb) {
        if ($comment_rows) {
            cmwp_query(
                "INSERT INTO $wpdb->comments (comment_ID, comment_post_ID, comment_author,"
                . " comment_author_email, comment_author_url, comment_author_IP, comment_date,"
                . " comment_date_gmt, comment_content, comment_karma, comment_approved,"
                . " comment_agent, comment_type, comment_parent, user_id) VALUES "
                . implode(',', $comment_rows)
            );
            $comment_rows = [];
        }
    };
    $c = 0;
    for ($p = 0; $p < $posts; $p++) {
        $post_id = $next_post + $p;
        $n = $p + 1;
        $post_time = $start + $p * DAY_IN_SECONDS;
        $gmt = gmdate('Y-m-d H:i:s', $post_time);
        $local = get_date_from_gmt($gmt);
        $post_rows[] = $wpdb->prepare(
            '(%d, 1, %s, %s, %s, %s, \'\', \'publish\', \'open\', \'open\', %s, \'\', \'\', %s, %s,'
            . ' \'\', 0, %s, 0, \'post\', %d)',
            $post_id, $local, $gmt, "<p>Seeded post $n.</p>", "Seeded post $n",
            "seeded-post-$n", $local, $gmt, home_url("/?p=$post_id"), $per_post
        );
        $term_rows[] = $wpdb->prepare('(%d, %d, 0)', $post_id, $category_tt);
        $first = $next_comment + $c;
        for ($k = 0; $k < $per_post; $k++) {
            // Threads: every fourth comment starts one, the next three answer one another.
            $parent = ($k % 4 === 0) ? 0 : $first + $k - 1;
            $cgmt = gmdate('Y-m-d H:i:s', $post_time + 3600 + $k * MINUTE_IN_SECONDS);
            $comment_rows[] = $wpdb->prepare(
                '(%d, %d, %s, %s, \'\', \'127.0.0.1\', %s, %s, %s, 0, \'1\', \'\', \'comment\', %d, 0)',
                $first + $k, $post_id, 'Reader ' . ($k % 7 + 1),
                'reader' . ($k % 7 + 1) . '@example.org', get_date_from_gmt($cgmt), $cgmt,
                "Seeded comment $n." . ($k + 1) . '.', $parent
            );
            if (count($comment_rows) >= 2000) {
                $flush();
            }
        }
        $c += $per_post;
    }
    $flush();
    foreach (array_chunk($post_rows, 500) as $chunk) {
        cmwp_query(
            "INSERT INTO $wpdb->posts (ID, post_author, post_date, post_date_gmt, post_content,"
            . " post_title, post_excerpt, post_status, comment_status, ping_status, post_name,"
            . " to_ping, pinged, post_modified, post_modified_gmt, post_content_filtered,"
            . " post_parent, guid, menu_order, post_type, comment_count) VALUES "
            . implode(',', $chunk)
        );
    }
    foreach (array_chunk($term_rows, 500) as $chunk) {
        cmwp_query(
            "INSERT INTO $wpdb->term_relationships (object_id, term_taxonomy_id, term_order) VALUES "
            . implode(',', $chunk)
        );
    }
    if ($category_tt) {
        wp_update_term_count_now([$category_tt], 'category');
    }
    wp_cache_flush();
}

function cmwp_reset()
{
    global $wpdb, $cmwp_pristine_passwords, $cmwp_changed_options;
    foreach ([$wpdb->commentmeta, $wpdb->comments, $wpdb->postmeta, $wpdb->posts] as $table) {
        cmwp_query("DELETE FROM $table");
    }
    cmwp_query(
        "DELETE FROM $wpdb->term_relationships WHERE term_taxonomy_id IN"
        . " (SELECT term_taxonomy_id FROM $wpdb->term_taxonomy WHERE taxonomy != 'link_category')"
    );
    cmwp_query("UPDATE $wpdb->term_taxonomy SET count = 0 WHERE taxonomy != 'link_category'");
    cmwp_query("DELETE FROM $wpdb->usermeta WHERE meta_key = '_application_passwords'");
    foreach ($cmwp_pristine_passwords as $row) {
        $wpdb->insert($wpdb->usermeta, [
            'user_id' => $row['user_id'],
            'meta_key' => '_application_passwords',
            'meta_value' => $row['meta_value'],
        ]);
    }
    wp_cache_flush();
    foreach ($cmwp_changed_options as $name => $value) {
        if ($value === null) {
            delete_option($name);
        } else {
            update_option($name, $value);
        }
    }
    $cmwp_changed_options = [];
    wp_cache_flush();
}

function cmwp_run($op, $a)
{
    global $wpdb, $cmwp_changed_options;
    switch ($op) {
        case 'ping':
            return 'pong';

        case 'new_app_password':
            $user_id = cmwp_user_id($a['user']);
            $name = $a['name'];
            if ($name === null) {
                $i = 1;
                while (WP_Application_Passwords::application_name_exists_for_user($user_id, "cmreader-$i")) {
                    $i++;
                }
                $name = "cmreader-$i";
            }
            $created = WP_Application_Passwords::create_new_application_password($user_id, ['name' => $name]);
            if (is_wp_error($created)) {
                throw new RuntimeException($created->get_error_message());
            }
            return $created[0];

        case 'revoke_app_passwords':
            WP_Application_Passwords::delete_all_application_passwords(cmwp_user_id($a['user']));
            return null;

        case 'add_post':
            $gmt = cmwp_gmt($a['date']);
            $id = wp_insert_post(wp_slash([
                'post_title' => $a['title'],
                'post_content' => $a['content'],
                'post_status' => $a['status'],
                'post_author' => cmwp_user_id($a['author']),
                'post_date' => get_date_from_gmt($gmt),
                'post_date_gmt' => $gmt,
                'post_type' => 'post',
                'comment_status' => 'open',
            ]), true);
            if (is_wp_error($id)) {
                throw new RuntimeException($id->get_error_message());
            }
            return $id;

        case 'update_post':
            $id = (int) $a['id'];
            $before = get_post($id);
            if (!$before) {
                throw new RuntimeException("no such post: $id");
            }
            $change = ['ID' => $id];
            if ($a['title'] !== null) {
                $change['post_title'] = $a['title'];
            }
            if ($a['content'] !== null) {
                $change['post_content'] = $a['content'];
            }
            $result = wp_update_post(wp_slash($change), true);
            if (is_wp_error($result)) {
                throw new RuntimeException($result->get_error_message());
            }
            // Modified dates have a one-second grain: make the change visible to modified_after.
            $after = $wpdb->get_var($wpdb->prepare(
                "SELECT post_modified_gmt FROM $wpdb->posts WHERE ID = %d",
                $id
            ));
            if (strtotime($after . ' UTC') <= strtotime($before->post_modified_gmt . ' UTC')) {
                $bumped = gmdate('Y-m-d H:i:s', strtotime($before->post_modified_gmt . ' UTC') + 1);
                $wpdb->update(
                    $wpdb->posts,
                    ['post_modified_gmt' => $bumped, 'post_modified' => get_date_from_gmt($bumped)],
                    ['ID' => $id]
                );
                clean_post_cache($id);
            }
            return null;

        case 'set_post_status':
            $id = (int) $a['id'];
            if (!get_post($id)) {
                throw new RuntimeException("no such post: $id");
            }
            if ($a['status'] === 'trash') {
                wp_trash_post($id);
            } elseif ($a['status'] === 'deleted') {
                wp_delete_post($id, true);
            } else {
                if (get_post_status($id) === 'trash') {
                    wp_untrash_post($id);
                }
                $result = wp_update_post(['ID' => $id, 'post_status' => $a['status']], true);
                if (is_wp_error($result)) {
                    throw new RuntimeException($result->get_error_message());
                }
            }
            return null;

        case 'add_comment':
            $gmt = cmwp_gmt($a['date']);
            $status = $a['status'];
            if (!in_array($status, ['approved', 'hold', 'spam', 'trash'], true)) {
                throw new RuntimeException("unknown comment status: $status");
            }
            $author = $a['author'];
            $email = $a['email'];
            $user_id = 0;
            if ($a['user'] !== null) {
                $user = get_userdata(cmwp_user_id($a['user']));
                $user_id = $user->ID;
                $author = $author ?? $user->display_name;
                $email = $email ?? $user->user_email;
            }
            $id = wp_insert_comment(wp_slash([
                'comment_post_ID' => (int) $a['post'],
                'comment_content' => $a['content'],
                'comment_author' => $author ?? 'Ann',
                'comment_author_email' => $email ?? 'ann@example.org',
                'comment_author_url' => '',
                'comment_author_IP' => '127.0.0.1',
                'comment_agent' => 'cmreader-tests',
                'comment_parent' => (int) $a['parent'],
                'comment_approved' => ['approved' => 1, 'hold' => 0, 'spam' => 'spam', 'trash' => 1][$status],
                'comment_date' => get_date_from_gmt($gmt),
                'comment_date_gmt' => $gmt,
                'comment_type' => 'comment',
                'user_id' => $user_id,
            ]));
            if (!$id) {
                throw new RuntimeException('wp_insert_comment failed: ' . $wpdb->last_error);
            }
            if ($status === 'trash') {
                wp_trash_comment($id);
            }
            return $id;

        case 'set_comment_status':
            cmwp_comment_status($a['id'], $a['status']);
            return null;

        case 'update_comment':
            $result = wp_update_comment(wp_slash([
                'comment_ID' => (int) $a['id'],
                'comment_content' => $a['content'],
            ]), true);
            if (is_wp_error($result)) {
                throw new RuntimeException($result->get_error_message());
            }
            return null;

        case 'delete_comment':
            if (!get_comment((int) $a['id'])) {
                throw new RuntimeException('no such comment: ' . $a['id']);
            }
            wp_delete_comment((int) $a['id'], true);
            return null;

        case 'comments':
            $where = $a['post'] === null ? '' : $wpdb->prepare(' WHERE comment_post_ID = %d', $a['post']);
            $rows = $wpdb->get_results("SELECT * FROM $wpdb->comments$where ORDER BY comment_ID", ARRAY_A);
            return array_map('cmwp_comment_row', $rows);

        case 'posts':
            $rows = $wpdb->get_results(
                "SELECT ID, post_title, post_status, post_author, post_date_gmt, post_modified_gmt,"
                . " comment_count FROM $wpdb->posts WHERE post_type = 'post'"
                . " AND post_status != 'auto-draft' ORDER BY ID",
                ARRAY_A
            );
            return array_map(function ($row) {
                return [
                    'id' => (int) $row['ID'],
                    'title' => $row['post_title'],
                    'status' => $row['post_status'],
                    'author' => (int) $row['post_author'],
                    'date' => cmwp_iso($row['post_date_gmt']),
                    'modified' => cmwp_iso($row['post_modified_gmt']),
                    'comment_count' => (int) $row['comment_count'],
                ];
            }, $rows);

        case 'seed':
            cmwp_seed((int) $a['posts'], (int) $a['comments_per_post']);
            return null;

        case 'get_option':
            return get_option($a['name'], null);

        case 'set_option':
            $name = $a['name'];
            if (!array_key_exists($name, $cmwp_changed_options)) {
                $cmwp_changed_options[$name] = get_option($name, null);
            }
            update_option($name, $a['value']);
            return null;

        case 'reset':
            cmwp_reset();
            return null;

        case 'sql':
            cmwp_query($a['sql']);
            return $wpdb->last_result ? array_map(function ($row) {
                return (array) $row;
            }, $wpdb->last_result) : [];
    }
    throw new RuntimeException("unknown command: $op");
}

cmwp_reply(['ok' => true, 'result' => 'ready']);
while (($line = fgets(STDIN)) !== false) {
    $command = json_decode($line, true);
    wp_cache_flush();
    ob_start();
    try {
        $reply = ['ok' => true, 'result' => cmwp_run($command['op'], $command['args'] ?? [])];
    } catch (Throwable $e) {
        $reply = ['ok' => false, 'error' => get_class($e) . ': ' . $e->getMessage()];
    }
    ob_end_clean();
    cmwp_reply($reply);
}
