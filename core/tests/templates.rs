//! Context templates against a real SQLite file.

mod common;

use common::TempDb;
use confab_core::Error;
use confab_core::store::conversations;
use confab_core::templates::{self, TemplateInput};
use sea_orm::{ConnectionTrait, Statement};

fn input(name: &str, content: &str) -> TemplateInput {
    TemplateInput {
        name: name.into(),
        content: content.into(),
    }
}

#[tokio::test]
async fn templates_are_created_updated_and_deleted() {
    let temp = TempDb::new().await;
    let db = temp.db.conn();
    let created = templates::create(db, &input(" Reviewer ", "Review the code."))
        .await
        .unwrap();
    assert_eq!(created.name, "Reviewer");
    assert!(!created.is_default);
    let updated = templates::update(db, &created.id, &input("Strict reviewer", "Be strict."))
        .await
        .unwrap();
    assert_eq!(templates::get(db, &created.id).await.unwrap(), updated);
    for bad in [
        input("", "x"),
        input("n", " "),
        input(&"n".repeat(101), "x"),
    ] {
        assert!(matches!(
            templates::create(db, &bad).await,
            Err(Error::InvalidInput(_))
        ));
    }
    templates::delete(db, &created.id).await.unwrap();
    assert!(matches!(
        templates::delete(db, &created.id).await,
        Err(Error::NotFound { .. })
    ));
    assert!(templates::list(db).await.unwrap().is_empty());
}

#[tokio::test]
async fn at_most_one_template_is_the_default() {
    let temp = TempDb::new().await;
    let db = temp.db.conn();
    let a = templates::create(db, &input("A", "a")).await.unwrap();
    let b = templates::create(db, &input("B", "b")).await.unwrap();
    templates::set_default(db, Some(&a.id)).await.unwrap();
    templates::set_default(db, Some(&b.id)).await.unwrap();
    let listed = templates::list(db).await.unwrap();
    let defaults: Vec<_> = listed.iter().filter(|t| t.is_default).collect();
    assert_eq!(defaults.len(), 1);
    assert_eq!(defaults[0].id, b.id);
    assert_eq!(listed[0].id, b.id, "the default is listed first");
    assert_eq!(
        templates::default_template(db).await.unwrap().map(|t| t.id),
        Some(b.id.clone())
    );
    assert!(templates::set_default(db, Some("missing")).await.is_err());
    assert_eq!(
        templates::default_template(db).await.unwrap().map(|t| t.id),
        Some(b.id),
        "a failed change keeps the old default"
    );
    templates::set_default(db, None).await.unwrap();
    assert!(templates::default_template(db).await.unwrap().is_none());
}

#[tokio::test]
async fn applying_a_template_sets_the_conversations_system_prompt() {
    let temp = TempDb::new().await;
    let db = temp.db.conn();
    let template = templates::create(db, &input("Terse", "Answer in one line."))
        .await
        .unwrap();
    let conversation = conversations::create(db, None).await.unwrap();
    let over = templates::apply_template(db, &conversation.id, &template.id)
        .await
        .unwrap();
    assert_eq!(over.system_prompt.as_deref(), Some("Answer in one line."));
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "SELECT context_override FROM conversations WHERE id = ?",
            [conversation.id.clone().into()],
        ))
        .await
        .unwrap()
        .unwrap();
    let stored: String = row.try_get_by_index(0).unwrap();
    let stored: serde_json::Value = serde_json::from_str(&stored).unwrap();
    assert_eq!(stored["systemPrompt"], "Answer in one line.");
    assert!(matches!(
        templates::apply_template(db, "missing", &template.id).await,
        Err(Error::NotFound { .. })
    ));
}
