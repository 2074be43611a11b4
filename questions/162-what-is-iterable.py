# snipcheck: question 162: What is iterable?
# guide: guides/python-advanced.txt, line 27

# example at line 31
# Strings are iterable
for char in "Hi":
    print(char)
