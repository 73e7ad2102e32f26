//! What did not survive the import, told to the person importing (zh-CN).

/// One kind of degradation; each is reported once per document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Note {
    TrackedChanges,
    Comments,
    HiddenText,
    MergedCells,
    NestedTables,
    TextBoxes,
    Graphics,
    EmbeddedObjects,
    Equations,
    LinkedImages,
    MissingImages,
    LocalLinks,
    ListNumbers,
}

impl Note {
    pub(crate) fn message_zh(self) -> &'static str {
        match self {
            Note::TrackedChanges => {
                "文档含有修订记录：已按“接受全部修订”后的内容导入，被删除的文字未导入（修订本身见附件检查结果）"
            }
            Note::Comments => "文档中的批注未导入",
            Note::HiddenText => "文档中设置为隐藏的文字未导入",
            Note::MergedCells => {
                "表格中的合并单元格已拆开：内容保留在合并区域的第一个单元格，其余留空"
            }
            Note::NestedTables => "表格中嵌套的表格已展开为所在单元格中的文字",
            Note::TextBoxes => "文本框中的文字已放在其所在段落之后",
            Note::Graphics => "图形（形状、图表、SmartArt 等）无法导入，已略去",
            Note::EmbeddedObjects => "嵌入的对象（如 Excel 表格、旧式公式）无法导入，已略去",
            Note::Equations => "公式无法导入，已略去",
            Note::LinkedImages => "链接到外部文件的图片不在文档中，未导入",
            Note::MissingImages => "有图片在文档包中找不到（文档可能已损坏），已略去",
            Note::LocalLinks => "指向本机文件的链接已改为普通文字",
            Note::ListNumbers => "列表的中文或字母编号（如“一、”“（一）”“①”）已改为 1. 2. 3. 编号",
        }
    }
}

/// Notes in the order first met, without repeats.
#[derive(Debug, Default)]
pub(crate) struct Notes(Vec<Note>);

impl Notes {
    pub(crate) fn add(&mut self, note: Note) {
        if !self.0.contains(&note) {
            self.0.push(note);
        }
    }

    pub(crate) fn into_messages(self) -> Vec<String> {
        self.0
            .into_iter()
            .map(|n| n.message_zh().to_owned())
            .collect()
    }
}
