//! A council's administrative tasks: what it does in its constituents' name, who is
//! responsible, by when, how it stands, with every update kept.

use serde::{Deserialize, Serialize};

use crate::event::Event;
use crate::id::{AccountId, BodyId, TaskId};
use crate::instant::Instant;
use crate::name::{Prose, Title};
use crate::refusal::{Refusal, Thing};
use crate::state::{State, already_exists, not_found};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Open,
    InProgress,
    Blocked,
    Done,
}

impl TaskStatus {
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Blocked => "blocked",
            TaskStatus::Done => "done",
        }
    }
}

/// One update of a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskUpdate {
    pub status: TaskStatus,
    pub note: Prose,
    pub by: AccountId,
    pub at: Instant,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub id: TaskId,
    pub council: BodyId,
    pub title: Title,
    pub responsible: AccountId,
    pub due: Instant,
    pub status: TaskStatus,
    pub added_at: Instant,
    pub updates: Vec<TaskUpdate>,
}

/// What is needed to add a task.
#[derive(Debug, Clone)]
pub struct AddTask {
    pub task: TaskId,
    pub council: BodyId,
    pub title: Title,
    pub responsible: AccountId,
    pub due: Instant,
}

impl State {
    #[must_use]
    pub fn task(&self, id: &TaskId) -> Option<&Task> {
        self.confederation.tasks.get(id)
    }

    /// A council's tasks, in id order.
    pub fn tasks_of<'a>(&'a self, council: &'a BodyId) -> impl Iterator<Item = &'a Task> {
        self.confederation.tasks.values().filter(move |t| &t.council == council)
    }

    /// A facilitator of the council adds a task, naming a member of the council as responsible.
    pub fn add_task(&self, new: AddTask, by: &AccountId, at: Instant) -> Result<Vec<Event>, Refusal> {
        self.existing_council(&new.council)?;
        let body = self.as_facilitator(&new.council, by)?;
        if !body.is_member(&new.responsible) {
            return Err(Refusal::NotAMember);
        }
        if self.confederation.tasks.contains_key(&new.task) {
            return Err(already_exists(Thing::Task, &new.task));
        }
        Ok(vec![Event::TaskAdded {
            task: new.task,
            council: new.council,
            title: new.title,
            responsible: new.responsible,
            due: new.due,
            by: by.clone(),
            at,
        }])
    }

    /// The person responsible or a facilitator of the council records progress.
    pub fn update_task(
        &self,
        id: &TaskId,
        status: TaskStatus,
        note: Prose,
        by: &AccountId,
        at: Instant,
    ) -> Result<Vec<Event>, Refusal> {
        let t = self.confederation.tasks.get(id).ok_or_else(|| not_found(Thing::Task, id))?;
        if &t.responsible != by {
            self.as_facilitator(&t.council, by)?;
        }
        Ok(vec![Event::TaskUpdated { task: id.clone(), status, note, by: by.clone(), at }])
    }
}
